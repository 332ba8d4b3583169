import { createAwsClients, type AwsClients } from "@/lib/adapters/aws/clients";
import { assumeRoleCredentials } from "@/lib/adapters/aws/assume-role";
import { discoverAccountId } from "@/lib/adapters/aws/caller-identity";
import { loadCollectorConfig, type CollectorConfig } from "@/lib/config/collector-config";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { DynamoRunLedgerStore } from "@/lib/adapters/dynamodb/run-ledger-repository";
import { DynamoSettingsStore } from "@/lib/adapters/dynamodb/settings-repository";
import type { AccountTarget } from "@/lib/config/accounts";
import { GLOBAL_REGION } from "@/lib/domain/collection/collector-run";
import type { CollectorLog } from "@/collectors/_runtime/log";

/** One account and region a collector reads; `global` for account-wide APIs (Cost Explorer). */
export interface Scope {
  accountId: string;
  region: string;
}

export { GLOBAL_REGION };

/**
 * The collectors' composition root: clients built once per process (per Lambda execution
 * environment), shared by every invocation. AWS clients take their endpoint from the SDK's
 * own AWS_ENDPOINT_URL convention; nothing here knows whether it talks to AWS or the simulator.
 */
export interface CollectorRuntime {
  config: CollectorConfig;
  log: CollectorLog;
  /** For repositories a collector builds itself. */
  doc: ReturnType<typeof createDynamoClients>["doc"];
  tableName: string;
  functions: DynamoFunctionStore;
  series: DynamoMetricSeriesStore;
  watermarks: DynamoWatermarkStore;
  ledger: DynamoRunLedgerStore;
  /** The accounts to collect: SIGHTLINE_ACCOUNTS, else the collectors' own (discovered once). */
  accounts(): Promise<AccountTarget[]>;
  /** The regions to collect: SIGHTLINE_REGIONS, else AWS_REGION. */
  regions(): string[];
  /** The metered AWS clients for one account and region (a member account through its role). */
  aws(scope: Scope): AwsClients;
}

export function createCollectorRuntime(options: { env?: Record<string, string | undefined>; log: CollectorLog }): CollectorRuntime {
  const config = loadCollectorConfig(options.env ?? process.env);
  const { doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_DYNAMODB });
  const functions = new DynamoFunctionStore(doc, config.TABLE_NAME);
  const settings = new DynamoSettingsStore(doc, config.TABLE_NAME);
  const regions = config.SIGHTLINE_REGIONS.length > 0 ? config.SIGHTLINE_REGIONS : [config.AWS_REGION];
  const own = createAwsClients(config.AWS_REGION);
  const clients = new Map<string, AwsClients>();
  const roleCredentials = new Map<string, ReturnType<typeof assumeRoleCredentials>>();
  let ownAccount: Promise<string> | undefined;
  let ownRemembered = false;

  const discoverOwnAccount = (): Promise<string> => {
    if (config.SIGHTLINE_ACCOUNT_ID) return Promise.resolve(config.SIGHTLINE_ACCOUNT_ID);
    ownAccount ??= discoverAccountId(own.sts).then(
      async (accountId) => {
        if ((await settings.getOwnAccountId().catch(() => null)) !== accountId) await settings.putOwnAccountId(accountId);
        return accountId;
      },
      async (error: unknown) => {
        ownAccount = undefined; // ask again on the next run
        // STS unreachable: carry on with the account found last time, so the runs fail where
        // they can record their errors on that account's watermarks.
        const remembered = await settings.getOwnAccountId().catch(() => null);
        if (remembered !== null) return remembered;
        const known = new Set((await functions.listFunctions().catch(() => [])).map((f) => f.accountId));
        if (known.size === 1) return [...known][0]!;
        throw error;
      },
    );
    return ownAccount;
  };

  return {
    config,
    log: options.log,
    doc,
    tableName: config.TABLE_NAME,
    functions,
    series: new DynamoMetricSeriesStore(doc, config.TABLE_NAME),
    watermarks: new DynamoWatermarkStore(doc, config.TABLE_NAME),
    ledger: new DynamoRunLedgerStore(doc, config.TABLE_NAME),
    async accounts() {
      if (config.SIGHTLINE_ACCOUNTS.length > 0) {
        // Remember the own account, for a later pass configured without the list (see above).
        const ownEntry = config.SIGHTLINE_ACCOUNTS.find((a) => a.roleArn === null);
        if (ownEntry && !ownRemembered) {
          ownRemembered = true;
          await settings.putOwnAccountId(ownEntry.accountId).catch(() => (ownRemembered = false));
        }
        return config.SIGHTLINE_ACCOUNTS;
      }
      return [{ accountId: await discoverOwnAccount(), roleArn: null }];
    },
    regions: () => regions,
    aws(scope) {
      const region = scope.region === GLOBAL_REGION ? regions[0]! : scope.region;
      const key = `${scope.accountId}#${region}`;
      let set = clients.get(key);
      if (set) return set;
      const target = config.SIGHTLINE_ACCOUNTS.find((a) => a.accountId === scope.accountId);
      if (target?.roleArn) {
        let credentials = roleCredentials.get(target.accountId);
        if (!credentials) {
          credentials = assumeRoleCredentials(own.sts, target.roleArn, { externalId: config.SIGHTLINE_EXTERNAL_ID });
          roleCredentials.set(target.accountId, credentials);
        }
        set = createAwsClients(region, credentials);
      } else {
        set = region === config.AWS_REGION ? own : createAwsClients(region);
      }
      clients.set(key, set);
      return set;
    },
  };
}
