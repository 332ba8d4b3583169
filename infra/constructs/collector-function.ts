import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledgeCollectorPolicyWildcards, collectorPolicyDocument, type CollectorPolicyTargets } from "@/infra/constructs/collector-policy";
import { COLLECTOR_ROLE_PATH } from "@/infra/stacks/contracts";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import { lambdaLogGroupName } from "@/lib/domain/logs/lambda-log-group";

/** The repository root: the bundles' project root (package-lock.json, tsconfig.json with the `@/` paths). */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The esbuild target. Lambda runs Node 24, but the bundle test runs a bundle on this machine's
 * Node 20; node20 syntax runs on both, and nothing in the collectors needs newer syntax
 * (esbuild only lowers syntax; it adds no polyfills, so APIs are Node 24's in Lambda).
 */
export const BUNDLE_TARGET = "node20";

/**
 * Memory and timeout per collector. Scheduled runs finish in seconds; the timeout is sized for
 * the first run, which backfills BACKFILL_HOURS (14 days) from empty. A 1- or 5-minute
 * collector still backfilling when its next schedule fires overlaps harmlessly: its writes are
 * idempotent and the later run resumes from the watermark.
 * - inventory 512 MB / 10 min: waits on the Lambda control plane; a first run lists every
 *   function's tags, aliases, versions and concurrency (5 calls a function, throttled).
 * - metrics 1024 MB / 15 min: decodes up to 100,800 datapoints a GetMetricData call into hour
 *   items; the 14-day backfill is the longest run of all.
 * - logs-insights 512 MB / 15 min: mostly waits for Logs Insights queries (polled).
 * - traces 1024 MB / 15 min: service graphs and trace batches are large JSON documents.
 * - costs 512 MB / 15 min: a few Cost Explorer pages (≥ 31 days on a first run) and budgets.
 * - analyze 1769 MB / 10 min: CPU-bound (duration models and what-ifs for every function);
 *   1769 MB is one full vCPU.
 * - slos 512 MB / 5 min: reads the table, evaluates burn rates, sends webhooks.
 */
export const COLLECTOR_SIZING: Readonly<Record<CollectorName, { memoryMb: number; timeoutMinutes: number }>> = {
  inventory: { memoryMb: 512, timeoutMinutes: 10 },
  metrics: { memoryMb: 1024, timeoutMinutes: 15 },
  "logs-insights": { memoryMb: 512, timeoutMinutes: 15 },
  traces: { memoryMb: 1024, timeoutMinutes: 15 },
  costs: { memoryMb: 512, timeoutMinutes: 15 },
  analyze: { memoryMb: 1769, timeoutMinutes: 10 },
  slos: { memoryMb: 512, timeoutMinutes: 5 },
};

/**
 * Lambda's own retries of a failed asynchronous invocation (0–2, one and then two minutes
 * apart). A collector that runs every 1 or 5 minutes is not retried: its next scheduled run
 * resumes from the watermark within minutes, and a retry would only overlap it. The 6-hour
 * costs collector is retried twice, so a transient Cost Explorer error costs minutes, not six
 * hours of staleness.
 */
export function asyncRetryAttempts(cadenceMinutes: number): number {
  return cadenceMinutes >= 60 ? 2 : 0;
}

/**
 * How long an event may wait to be delivered or retried: one cadence (at least Lambda's and
 * Scheduler's 1-minute minimum). By then a newer scheduled event covers the same work.
 */
export function maxEventAge(cadenceMinutes: number): Duration {
  return Duration.minutes(Math.max(1, cadenceMinutes));
}

export interface CollectorFunctionProps {
  collector: CollectorName;
  /** Its schedule's rate in minutes (collectorCadenceMinutes with the deploy config's settings). */
  cadenceMinutes: number;
  /** `sightline-<stage>-<collector>`: fixed, so its log group is Lambda's usual `/aws/lambda/<name>`. */
  functionName: string;
  table: ITableV2;
  tableKey: IKey | undefined;
  memberRoleArns: readonly string[];
  /** Environment shared by every collector (TABLE_NAME, accounts, regions, Powertools …). */
  environment: Record<string, string>;
  /** The collectors' secret for those that send webhooks (slos, costs); undefined for the others. */
  secret: ISecret | undefined;
  failedInvocations: IQueue;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * One collector on Lambda: its log group, its role (path COLLECTOR_ROLE_PATH, one inline
 * policy from collectorPolicyDocument, nothing added behind its back) and the function bundled
 * locally with esbuild from `collectors/<name>.ts`.
 */
export class CollectorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CollectorFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = new LogGroup(this, "Logs", {
      logGroupName: lambdaLogGroupName(props.functionName),
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const policyTargets: CollectorPolicyTargets = {
      collector: props.collector,
      partition: stack.partition,
      accountId: stack.account,
      region: stack.region,
      table: props.table,
      tableKey: props.tableKey,
      memberRoleArns: props.memberRoleArns,
      logGroup: this.logGroup,
      failedInvocations: props.failedInvocations,
      secret: props.secret,
    };
    this.role = new Role(this, "Role", {
      path: COLLECTOR_ROLE_PATH,
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Sightline collector ${props.collector}: exactly the actions in infra/collector-permissions.ts`,
      inlinePolicies: { collector: collectorPolicyDocument(policyTargets) },
    });
    acknowledgeCollectorPolicyWildcards(this.role, policyTargets);
    const sizing = COLLECTOR_SIZING[props.collector];
    this.function = new NodejsFunction(this, "Function", {
      functionName: props.functionName,
      description: `Sightline collector: ${props.collector} (every ${props.cadenceMinutes} min)`,
      entry: join(REPO_ROOT, "collectors", `${props.collector}.ts`),
      handler: "handler",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: sizing.memoryMb,
      timeout: Duration.minutes(sizing.timeoutMinutes),
      // The inline policy is the whole grant: CDK's automatic grants (X-Ray for tracing, SQS
      // for the destination) are already in it and must not add a second, unreviewed policy.
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        NODE_OPTIONS: "--enable-source-maps",
        ...(props.secret ? { SIGHTLINE_SECRET_IDS: props.secret.secretArn } : {}),
      },
      retryAttempts: asyncRetryAttempts(props.cadenceMinutes),
      maxEventAge: maxEventAge(props.cadenceMinutes),
      onFailure: new SqsDestination(props.failedInvocations),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      bundling: {
        // Local esbuild (node_modules/esbuild) only; there is no Docker engine to fall back to.
        forceDockerBundling: false,
        tsconfig: join(REPO_ROOT, "tsconfig.json"),
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: ["module", "main"],
        // CommonJS dependencies (aws-xray-sdk-core, …) call require() inside the ESM bundle.
        banner: "import { createRequire as __sightlineRequire } from 'node:module'; const require = __sightlineRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // The pinned AWS SDK from package-lock.json is bundled instead of the runtime's: the
        // versions the tests ran against are the versions that deploy, whatever Lambda ships.
        externalModules: [],
      },
    });
  }
}
