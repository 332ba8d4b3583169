import { loadConsoleConfig, type ConsoleConfig } from "@/lib/config/console-config";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { DynamoSignInThrottleStore } from "@/lib/adapters/dynamodb/sign-in-throttle-repository";
import { DynamoRunLedgerStore } from "@/lib/adapters/dynamodb/run-ledger-repository";
import { DynamoSettingsStore } from "@/lib/adapters/dynamodb/settings-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { DynamoCostSettingsStore } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { AwsLambdaTuner } from "@/lib/adapters/aws/lambda-tuner";
import { ScryptPasswordHasher, hashApiToken } from "@/lib/adapters/crypto/scrypt-password-hasher";

/** The console's composition root: configuration and repositories, built once per server process. */
export interface ConsoleDeps {
  config: ConsoleConfig;
  functions: DynamoFunctionStore;
  series: DynamoMetricSeriesStore;
  reportStats: DynamoReportStatsStore;
  serviceGraph: DynamoServiceGraphStore;
  analysis: DynamoAnalysisStore;
  watermarks: DynamoWatermarkStore;
  ledger: DynamoRunLedgerStore;
  slos: DynamoSloStore;
  settings: DynamoSettingsStore;
  users: DynamoUserStore;
  tokens: DynamoApiTokenStore;
  /** Failed password sign-ins per username and address, shared by every console instance. */
  signInThrottle: DynamoSignInThrottleStore;
  hasher: ScryptPasswordHasher;
  hashToken: (token: string) => string;
  tuningAudit: DynamoTuningAuditStore;
  /** Cost Explorer lines the costs collector stored (the bill the cost view allocates). */
  costLines: DynamoCostLineStore;
  /** Finance's cost settings (pools, budgets) and the budget alerts already sent. */
  costSettings: DynamoCostSettingsStore;
  /**
   * Reads and changes Lambda settings (members, and home with TUNING_APPLY_HOME_VIA_ROLE: TUNING_APPLY_ROLE_NAME; else own
   * credentials). Member roles are assumed with SIGHTLINE_EXTERNAL_ID when set.
   */
  lambdaTuner: AwsLambdaTuner;
}

let deps: ConsoleDeps | undefined;

export function getDeps(): ConsoleDeps {
  if (deps) return deps;
  const config = loadConsoleConfig();
  const { doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_DYNAMODB });
  deps = {
    config,
    functions: new DynamoFunctionStore(doc, config.TABLE_NAME),
    series: new DynamoMetricSeriesStore(doc, config.TABLE_NAME),
    reportStats: new DynamoReportStatsStore(doc, config.TABLE_NAME),
    serviceGraph: new DynamoServiceGraphStore(doc, config.TABLE_NAME),
    analysis: new DynamoAnalysisStore(doc, config.TABLE_NAME),
    watermarks: new DynamoWatermarkStore(doc, config.TABLE_NAME),
    ledger: new DynamoRunLedgerStore(doc, config.TABLE_NAME),
    slos: new DynamoSloStore(doc, config.TABLE_NAME),
    settings: new DynamoSettingsStore(doc, config.TABLE_NAME),
    users: new DynamoUserStore(doc, config.TABLE_NAME),
    tokens: new DynamoApiTokenStore(doc, config.TABLE_NAME),
    signInThrottle: new DynamoSignInThrottleStore(doc, config.TABLE_NAME),
    hasher: new ScryptPasswordHasher(),
    hashToken: hashApiToken,
    tuningAudit: new DynamoTuningAuditStore(doc, config.TABLE_NAME),
    costLines: new DynamoCostLineStore(doc, config.TABLE_NAME),
    costSettings: new DynamoCostSettingsStore(doc, config.TABLE_NAME),
    lambdaTuner: new AwsLambdaTuner({
      homeRegion: config.AWS_REGION,
      ...(config.SIGHTLINE_ACCOUNT_ID ? { homeAccountId: config.SIGHTLINE_ACCOUNT_ID } : {}),
      roleName: config.TUNING_APPLY_ROLE_NAME,
      homeViaRole: config.TUNING_APPLY_HOME_VIA_ROLE,
      externalId: config.SIGHTLINE_EXTERNAL_ID,
    }),
  };
  return deps;
}
