import { createAwsClients } from "@/lib/adapters/aws/clients";

type AwsClients = ReturnType<typeof createAwsClients>;
import { loadCollectorConfig, type CollectorConfig } from "@/lib/config/collector-config";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { LambdaInventorySource } from "@/lib/adapters/aws/lambda-inventory-source";
import { CloudWatchMetricsSource } from "@/lib/adapters/aws/cloudwatch-metrics-source";
import type { CollectorLog } from "@/collectors/_runtime/log";

/**
 * The collectors' composition root: clients built once per process (per Lambda execution
 * environment), shared by every invocation. AWS clients take their endpoint from the SDK's
 * own AWS_ENDPOINT_URL convention; nothing here knows whether it talks to AWS or the simulator.
 */
export interface CollectorRuntime {
  config: CollectorConfig;
  log: CollectorLog;
  lambda: AwsClients["lambda"];
  cloudwatch: AwsClients["cloudwatch"];
  functions: DynamoFunctionStore;
  series: DynamoMetricSeriesStore;
  watermarks: DynamoWatermarkStore;
  /** Resolved once: the configured account id, or the one in the Lambda ARNs. */
  accountId(): Promise<string | null>;
}

export function createCollectorRuntime(options: { env?: Record<string, string | undefined>; log: CollectorLog }): CollectorRuntime {
  const config = loadCollectorConfig(options.env ?? process.env);
  const { doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_DYNAMODB });
  const { lambda, cloudwatch } = createAwsClients(config.AWS_REGION);
  let accountId: Promise<string | null> | undefined;
  const functions = new DynamoFunctionStore(doc, config.TABLE_NAME);
  return {
    config,
    log: options.log,
    lambda,
    cloudwatch,
    functions,
    series: new DynamoMetricSeriesStore(doc, config.TABLE_NAME),
    watermarks: new DynamoWatermarkStore(doc, config.TABLE_NAME),
    accountId() {
      if (config.SIGHTLINE_ACCOUNT_ID) return Promise.resolve(config.SIGHTLINE_ACCOUNT_ID);
      accountId ??= LambdaInventorySource.discoverAccountId(lambda).catch(async (error: unknown) => {
        accountId = undefined; // ask Lambda again on the next run
        // Lambda unreachable: carry on with the account already collected in this region, so
        // the run fails where it can record its error on that account's watermark.
        const known = new Set(
          (await functions.listFunctions()).filter((f) => f.region === config.AWS_REGION).map((f) => f.accountId),
        );
        if (known.size === 1) return [...known][0]!;
        throw error;
      });
      return accountId;
    },
  };
}

export function newMetricsSource(runtime: CollectorRuntime): CloudWatchMetricsSource {
  return new CloudWatchMetricsSource(runtime.cloudwatch);
}
