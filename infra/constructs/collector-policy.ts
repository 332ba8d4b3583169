import { Effect, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { COLLECTOR_PERMISSIONS, assumesMemberRoles } from "@/infra/collector-permissions";
import { acknowledgeWildcardResource } from "@/infra/constructs/nag-acknowledgement";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import { LAMBDA_LOG_GROUP_PREFIX } from "@/lib/domain/logs/lambda-log-group";

/** Lambda reads IAM can scope to a function ARN; ListFunctions and GetAccountSettings have no resource type. */
const FUNCTION_SCOPED_ACTIONS: ReadonlySet<string> = new Set([
  "lambda:ListTags",
  "lambda:ListAliases",
  "lambda:ListVersionsByFunction",
  "lambda:ListProvisionedConcurrencyConfigs",
  "lambda:GetFunctionConcurrency",
]);
/** Logs Insights: only StartQuery takes a log group; DescribeLogGroups, GetQueryResults and StopQuery take `*`. */
const LOG_GROUP_SCOPED_ACTIONS: ReadonlySet<string> = new Set(["logs:StartQuery"]);

/**
 * DynamoDB's use of a customer-managed table key on the caller's behalf (what aws-cdk-lib's
 * grantReadWriteData grants, without its wildcards: GenerateDataKey and Encrypt for writes,
 * Decrypt and DescribeKey for reads), and only through DynamoDB (kms:ViaService).
 */
export const TABLE_KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"] as const;

/** X-Ray's trace upload, which the function's active tracing sends with its role. */
const TRACE_UPLOAD_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/** The pieces of the stack a collector's policy names. */
export interface CollectorPolicyTargets {
  collector: CollectorName;
  partition: string;
  /** The account the collectors run in (their own watched account). */
  accountId: string;
  region: string;
  table: ITableV2;
  /** The table's customer-managed key; undefined with DynamoDB's AWS-owned key. */
  tableKey: IKey | undefined;
  /** Member read roles (SIGHTLINE_ACCOUNTS `<id>=<role ARN>`); empty: none assumed. */
  memberRoleArns: readonly string[];
  /** The collector's own log group. */
  logGroup: ILogGroup;
  /** Where Lambda sends a failed asynchronous invocation's record (the function's onFailure destination). */
  failedInvocations: IQueue;
  /** The collectors' secret (webhook URLs), for the collectors that send webhooks; undefined otherwise. */
  secret: ISecret | undefined;
}

/**
 * A collector role's one inline policy: exactly its COLLECTOR_PERMISSIONS entry — reads on the
 * watched account on the narrowest resource IAM allows, item actions on Sightline's table (and
 * its key) — plus what every Lambda function needs for itself: its own log group, X-Ray trace
 * upload (no resource type), sending its failed-invocation record, sts:AssumeRole on the
 * member read roles when it reads watched accounts and members are configured, and its secret.
 * Nothing else: no `*` action, no managed policy, no write on a watched account.
 */
export function collectorPolicyDocument(targets: CollectorPolicyTargets): PolicyDocument {
  const permissions = COLLECTOR_PERMISSIONS[targets.collector];
  const statements: PolicyStatement[] = [];
  const allow = (sid: string, actions: readonly string[], resources: string[], conditions?: Record<string, unknown>) => {
    if (actions.length > 0) statements.push(new PolicyStatement({ sid, effect: Effect.ALLOW, actions: [...actions], resources, ...(conditions ? { conditions } : {}) }));
  };

  const reads = watchedAccountReads(targets);
  allow("ReadFunctions", reads.onFunctions, [everyFunctionArn(targets)]);
  allow("QueryLambdaLogs", reads.onLogGroups, [lambdaLogGroupsArn(targets)]);
  allow("ReadAccountWide", reads.accountWide, ["*"]);
  allow("Table", permissions.dynamodb, [targets.table.tableArn]);
  if (targets.tableKey && permissions.dynamodb.length > 0) {
    allow("TableKey", TABLE_KEY_ACTIONS, [targets.tableKey.keyArn], { StringEquals: { "kms:ViaService": `dynamodb.${targets.region}.amazonaws.com` } });
  }
  if (assumesMemberRoles(permissions) && targets.memberRoleArns.length > 0) {
    allow("AssumeMemberReadRoles", ["sts:AssumeRole"], [...targets.memberRoleArns]);
  }
  // Lambda writes the function's logs with its execution role; the group itself is the stack's.
  allow("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [targets.logGroup.logGroupArn]);
  // X-Ray's trace upload actions have no resource type.
  allow("Tracing", TRACE_UPLOAD_ACTIONS, ["*"]);
  // Lambda sends an asynchronous invocation's failure record to the destination with the function's role.
  allow("FailedInvocations", ["sqs:SendMessage"], [targets.failedInvocations.queueArn]);
  if (targets.secret) allow("Secret", ["secretsmanager:GetSecretValue"], [targets.secret.secretArn]);
  return new PolicyDocument({ statements });
}

/** A collector's reads of the watched account, split by the narrowest resource IAM lets each name. */
function watchedAccountReads(targets: CollectorPolicyTargets): { onFunctions: string[]; onLogGroups: string[]; accountWide: string[] } {
  const { aws } = COLLECTOR_PERMISSIONS[targets.collector];
  return {
    onFunctions: aws.filter((a) => FUNCTION_SCOPED_ACTIONS.has(a)),
    onLogGroups: aws.filter((a) => LOG_GROUP_SCOPED_ACTIONS.has(a)),
    accountWide: aws.filter((a) => !FUNCTION_SCOPED_ACTIONS.has(a) && !LOG_GROUP_SCOPED_ACTIONS.has(a)),
  };
}

/** Every function (and version and alias) of the collectors' account, in every region. */
function everyFunctionArn(targets: CollectorPolicyTargets): string {
  return `arn:${targets.partition}:lambda:*:${targets.accountId}:function:*`;
}

/** Lambda's log groups (`/aws/lambda/*`), in every region. */
function lambdaLogGroupsArn(targets: CollectorPolicyTargets): string {
  return `arn:${targets.partition}:logs:*:*:log-group:${LAMBDA_LOG_GROUP_PREFIX}*`;
}

/**
 * Acknowledges, on the collector's role, exactly the wildcard resources collectorPolicyDocument
 * gives this collector (cdk-nag AwsSolutions-IAM5), each with the reason nothing narrower works.
 */
export function acknowledgeCollectorPolicyWildcards(role: IConstruct, targets: CollectorPolicyTargets): void {
  const reads = watchedAccountReads(targets);
  if (reads.onFunctions.length > 0) {
    acknowledgeWildcardResource(
      role,
      everyFunctionArn(targets),
      `${reads.onFunctions.join(", ")} on every function of the collectors' own account: the collector inventories all functions in every region it reads, which are not known when the stack deploys; read-only actions.`,
    );
  }
  if (reads.onLogGroups.length > 0) {
    acknowledgeWildcardResource(
      role,
      lambdaLogGroupsArn(targets),
      `${reads.onLogGroups.join(", ")} on Lambda's log groups only (/aws/lambda/*), in every region the collector reads, one group per watched function. The open account segment reaches another account's groups only through CloudWatch cross-account observability links, which Sightline does not create.`,
    );
  }
  acknowledgeWildcardResource(
    role,
    "*",
    `Resource "*" only for actions IAM defines no resource type for (Service Authorization Reference): ${[...reads.accountWide, ...TRACE_UPLOAD_ACTIONS].join(", ")}.`,
  );
}
