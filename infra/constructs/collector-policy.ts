import { Effect, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { COLLECTOR_PERMISSIONS, assumesMemberRoles } from "@/infra/collector-permissions";
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
  const { partition, accountId } = targets;
  const statements: PolicyStatement[] = [];
  const allow = (sid: string, actions: readonly string[], resources: string[], conditions?: Record<string, unknown>) => {
    if (actions.length > 0) statements.push(new PolicyStatement({ sid, effect: Effect.ALLOW, actions: [...actions], resources, ...(conditions ? { conditions } : {}) }));
  };

  const onFunctions = permissions.aws.filter((a) => FUNCTION_SCOPED_ACTIONS.has(a));
  const onLogGroups = permissions.aws.filter((a) => LOG_GROUP_SCOPED_ACTIONS.has(a));
  const accountWide = permissions.aws.filter((a) => !FUNCTION_SCOPED_ACTIONS.has(a) && !LOG_GROUP_SCOPED_ACTIONS.has(a));
  allow("ReadFunctions", onFunctions, [`arn:${partition}:lambda:*:${accountId}:function:*`]);
  allow("QueryLambdaLogs", onLogGroups, [`arn:${partition}:logs:*:*:log-group:${LAMBDA_LOG_GROUP_PREFIX}*`]);
  allow("ReadAccountWide", accountWide, ["*"]);
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
  allow("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]);
  // Lambda sends an asynchronous invocation's failure record to the destination with the function's role.
  allow("FailedInvocations", ["sqs:SendMessage"], [targets.failedInvocations.queueArn]);
  if (targets.secret) allow("Secret", ["secretsmanager:GetSecretValue"], [targets.secret.secretArn]);
  return new PolicyDocument({ statements });
}
