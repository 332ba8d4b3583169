import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
import { installApiMeter } from "@/lib/adapters/aws/api-meter";
import type { TemporaryCredentials } from "@/lib/adapters/aws/assume-role";

/** Cost Explorer has one endpoint for every account, in us-east-1. */
export const COST_EXPLORER_REGION = "us-east-1";

export interface AwsClients {
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  xray: XRayClient;
  costExplorer: CostExplorerClient;
  sts: STSClient;
}

/**
 * AWS clients for one account and region. The endpoint is left to the SDK's own resolution,
 * so AWS_ENDPOINT_URL (the simulator locally) or the real regional endpoint applies without
 * any code knowing which. Retries use the SDK's adaptive mode (exponential backoff with jitter
 * plus client-side rate limiting once throttled). Five attempts: a call that still fails fails
 * the run, which stored what it had and resumes from its watermark on the next pass — so an
 * unreachable endpoint is reported within seconds instead of after minutes of backoff.
 * Every client is metered (api-meter.ts).
 * `credentials` is a member account's assumed role; absent, the SDK's default chain applies.
 */
export function createAwsClients(region: string, credentials?: () => Promise<TemporaryCredentials>): AwsClients {
  const common = commonOptions(credentials);
  return {
    lambda: installApiMeter(new LambdaClient({ region, ...common }), "Lambda"),
    cloudwatch: installApiMeter(new CloudWatchClient({ region, ...common }), "CloudWatch"),
    logs: installApiMeter(new CloudWatchLogsClient({ region, ...common }), "CloudWatchLogs"),
    xray: installApiMeter(new XRayClient({ region, ...common }), "XRay"),
    costExplorer: installApiMeter(new CostExplorerClient({ region: COST_EXPLORER_REGION, ...common }), "CostExplorer"),
    sts: installApiMeter(new STSClient({ region, ...common }), "STS"),
  };
}

function commonOptions(credentials?: () => Promise<TemporaryCredentials>) {
  return { maxAttempts: 5, retryMode: "adaptive" as const, ...(credentials ? { credentials } : {}) };
}

/** One metered Lambda client with the same settings as createAwsClients (for code that needs no other service). */
export function createLambdaClient(region: string, credentials?: () => Promise<TemporaryCredentials>): LambdaClient {
  return installApiMeter(new LambdaClient({ region, ...commonOptions(credentials) }), "Lambda");
}

/** One metered STS client with the same settings as createAwsClients (default credentials). */
export function createStsClient(region: string): STSClient {
  return installApiMeter(new STSClient({ region, ...commonOptions() }), "STS");
}
