import { Aws, CfnCondition, CfnOutput, CfnParameter, Duration, Fn, LegacyStackSynthesizer, Stack } from "aws-cdk-lib";
import { AccountPrincipal, type CfnRole, Effect, PolicyDocument, PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import type { Construct, IConstruct } from "constructs";
import { memberReadActions } from "@/infra/collector-permissions";
import { acknowledgeApplyPolicyWildcards, applyPolicyStatements } from "@/infra/constructs/apply-policy";
import { acknowledgeWildcardResource } from "@/infra/constructs/nag-acknowledgement";
import {
  COLLECTOR_ROLE_PATH,
  CONSOLE_ROLE_PATH,
  MEMBER_READ_ROLE_NAME,
  TUNING_APPLY_ROLE_NAME,
  type SightlineStackProps,
} from "@/infra/stacks/contracts";
import { LAMBDA_LOG_GROUP_PREFIX } from "@/lib/domain/logs/lambda-log-group";

/** The read actions IAM can scope to a function ARN (the rest of the Lambda reads take `*`). */
const FUNCTION_SCOPED_ACTIONS = new Set([
  "lambda:ListTags",
  "lambda:ListAliases",
  "lambda:ListVersionsByFunction",
  "lambda:ListProvisionedConcurrencyConfigs",
  "lambda:GetFunctionConcurrency",
]);
/** The read actions IAM can scope to a log group (Logs Insights only ever queries Lambda's). */
const LOG_GROUP_SCOPED_ACTIONS = new Set(["logs:StartQuery"]);

/** The tag key of a member's apply role when SIGHTLINE_APPLY_SCOPE is not a tag scope. */
const DEFAULT_APPLY_TAG = { tagKey: "sightline:tuning", tagValue: "enabled" };

/** The member's functions (and their versions and aliases), in every region. */
function everyFunctionArn(partition: string, accountId: string): string {
  return `arn:${partition}:lambda:*:${accountId}:function:*`;
}

/** The member's Lambda log groups (`/aws/lambda/*`), in every region. */
function lambdaLogGroupsArn(partition: string, accountId: string): string {
  return `arn:${partition}:logs:*:${accountId}:log-group:${LAMBDA_LOG_GROUP_PREFIX}*`;
}

/** memberReadActions() split by the narrowest resource IAM lets each name. */
function memberReads(): { onFunctions: string[]; onLogGroups: string[]; accountWide: string[] } {
  const actions = memberReadActions();
  return {
    onFunctions: actions.filter((a) => FUNCTION_SCOPED_ACTIONS.has(a)),
    onLogGroups: actions.filter((a) => LOG_GROUP_SCOPED_ACTIONS.has(a)),
    accountWide: actions.filter((a) => !FUNCTION_SCOPED_ACTIONS.has(a) && !LOG_GROUP_SCOPED_ACTIONS.has(a)),
  };
}

/**
 * The read role's statements: exactly memberReadActions() (every collector's `aws` actions),
 * each on the narrowest resource IAM allows: function ARNs, `/aws/lambda/*` log groups, or `*`
 * for the actions that have no resource type (ListFunctions, GetAccountSettings,
 * GetMetricData, DescribeLogGroups, GetQueryResults, StopQuery, X-Ray, Cost Explorer). An
 * action added to the collectors' table later lands in the `*` statement: still that action only.
 */
export function memberReadStatements(partition: string, accountId: string): PolicyStatement[] {
  const { onFunctions, onLogGroups, accountWide } = memberReads();
  const statements: PolicyStatement[] = [];
  if (onFunctions.length > 0) {
    statements.push(new PolicyStatement({ sid: "ReadFunctions", effect: Effect.ALLOW, actions: onFunctions, resources: [everyFunctionArn(partition, accountId)] }));
  }
  if (onLogGroups.length > 0) {
    statements.push(new PolicyStatement({ sid: "QueryLambdaLogs", effect: Effect.ALLOW, actions: onLogGroups, resources: [lambdaLogGroupsArn(partition, accountId)] }));
  }
  if (accountWide.length > 0) statements.push(new PolicyStatement({ sid: "ReadAccountWide", effect: Effect.ALLOW, actions: accountWide, resources: ["*"] }));
  return statements;
}

/** Acknowledges, on the read role, exactly the wildcard resources of memberReadStatements (cdk-nag AwsSolutions-IAM5). */
function acknowledgeMemberReadWildcards(role: IConstruct, partition: string, accountId: string): void {
  const { onFunctions, onLogGroups, accountWide } = memberReads();
  if (onFunctions.length > 0) {
    acknowledgeWildcardResource(
      role,
      everyFunctionArn(partition, accountId),
      `${onFunctions.join(", ")} on every function of this member account: the collectors inventory all functions in every region they read, which this template cannot know; read-only actions.`,
    );
  }
  if (onLogGroups.length > 0) {
    acknowledgeWildcardResource(
      role,
      lambdaLogGroupsArn(partition, accountId),
      `${onLogGroups.join(", ")} on this account's Lambda log groups only (/aws/lambda/*), in every region, one group per watched function.`,
    );
  }
  if (accountWide.length > 0) {
    acknowledgeWildcardResource(role, "*", `Resource "*" only for actions IAM defines no resource type for (Service Authorization Reference): ${accountWide.join(", ")}.`);
  }
}

/**
 * What a member account deploys so Sightline can read it (and, optionally, tune it): a
 * CloudFormation template usable as is in a StackSet. No assets and no bootstrap (no
 * BootstrapVersion parameter or rule, no deploy role: `cdk deploy` uses the CLI's
 * credentials), no environment (the account and region are the deploying ones), and
 * parameters rather than context:
 *
 * - `CentralAccountId`: the account Sightline runs in.
 * - `ExternalId`: when not empty, every assume must present it (sts:ExternalId). The central
 *   stacks send it when deployed with the same value as SIGHTLINE_EXTERNAL_ID (collectors and
 *   console alike); a member that sets it and a central deployment without it lock Sightline out.
 * - `CreateApplyRole`: `true` creates TUNING_APPLY_ROLE_NAME for the console.
 * - `ApplyTagValue`: the value of the tag that opens a function to tuning. Its key is fixed
 *   when the template is synthesized (from SIGHTLINE_APPLY_SCOPE, default `sightline:tuning`),
 *   because it is a JSON key in the policy and CloudFormation cannot put a parameter there.
 *
 * Trust goes by IAM path, not by role ARN, so this template can be deployed before or after the
 * central stacks: the read role trusts the central account's principals under
 * `role/sightline/collectors/`, the apply role those under `role/sightline/console/`.
 */
export class MemberAccountStack extends Stack {
  readonly readRole: Role;
  readonly applyRole: Role;

  constructor(scope: Construct, id: string, props: SightlineStackProps) {
    // Environment-agnostic on purpose (props.env is not passed on), and no CDKMetadata resource
    // with its per-region conditions: the template is the same in every account and region.
    // LegacyStackSynthesizer: no BootstrapVersion parameter or rule and no deploy role, so
    // `cdk deploy` uses the CLI's own credentials (BootstraplessSynthesizer still names the
    // bootstrap deploy role). It would pass assets as parameters; this stack has none.
    super(scope, id, { description: props.description, synthesizer: new LegacyStackSynthesizer(), analyticsReporting: false });
    const applyScope = props.config.SIGHTLINE_APPLY_SCOPE;
    const applyTag = applyScope.kind === "tag" ? applyScope : DEFAULT_APPLY_TAG;

    const centralAccountId = new CfnParameter(this, "CentralAccountId", {
      type: "String",
      description: "The AWS account Sightline (its collectors and console) runs in",
      allowedPattern: "^\\d{12}$",
      constraintDescription: "must be a 12-digit AWS account id",
    });
    const externalId = new CfnParameter(this, "ExternalId", {
      type: "String",
      default: "",
      // The collectors and the console send SIGHTLINE_EXTERNAL_ID of the central stacks (lib/adapters/aws/assume-role.ts).
      description: "Optional: an external id every AssumeRole into these roles must present (empty: none). Deploy the central stacks with the same value as SIGHTLINE_EXTERNAL_ID",
      allowedPattern: "^$|^[\\w+=,.@:/-]{2,1224}$",
      constraintDescription: "must be empty or 2-1224 characters of letters, digits and +=,.@:/-",
    });
    const createApplyRole = new CfnParameter(this, "CreateApplyRole", {
      type: "String",
      default: "false",
      allowedValues: ["true", "false"],
      description: `true: also create ${TUNING_APPLY_ROLE_NAME}, which lets the Sightline console change memory and concurrency of functions tagged ${applyTag.tagKey}`,
    });
    const applyTagValue = new CfnParameter(this, "ApplyTagValue", {
      type: "String",
      default: applyTag.tagValue,
      description: `The value of the tag ${applyTag.tagKey} that opens a function to tuning (the key is fixed in this template)`,
      allowedPattern: "^[\\w.:/=+@ -]{1,128}$",
      constraintDescription: "must be a tag value of 1-128 letters, digits, spaces and _.:/=+@-",
    });

    const hasExternalId = new CfnCondition(this, "HasExternalId", { expression: Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, "")) });
    const applyRoleWanted = new CfnCondition(this, "CreateApplyRoleCondition", { expression: Fn.conditionEquals(createApplyRole.valueAsString, "true") });

    /** The trust condition: a principal of the central account under `path`, plus the external id when set. */
    const trustCondition = (path: string) => {
      const principalPath = { ArnLike: { "aws:PrincipalArn": `arn:${Aws.PARTITION}:iam::${centralAccountId.valueAsString}:role${path}*` } };
      return Fn.conditionIf(hasExternalId.logicalId, { ...principalPath, StringEquals: { "sts:ExternalId": externalId.valueAsString } }, principalPath);
    };
    /** A role trusted by the central account for the principals on `path` only. */
    const trustedRole = (logicalId: string, roleName: string, path: string, description: string, statements: PolicyStatement[]) => {
      const role = new Role(this, logicalId, {
        roleName,
        description,
        assumedBy: new AccountPrincipal(centralAccountId.valueAsString),
        maxSessionDuration: Duration.hours(1),
        inlinePolicies: { [roleName]: new PolicyDocument({ statements }) },
      });
      // The statement CDK wrote for the principal is the only one; its condition depends on ExternalId.
      (role.node.defaultChild as CfnRole).addPropertyOverride("AssumeRolePolicyDocument.Statement.0.Condition", trustCondition(path));
      return role;
    };

    this.readRole = trustedRole(
      "ReadRole",
      MEMBER_READ_ROLE_NAME,
      COLLECTOR_ROLE_PATH,
      "Sightline: read-only access for the collectors of the central account",
      memberReadStatements(Aws.PARTITION, Aws.ACCOUNT_ID),
    );
    acknowledgeMemberReadWildcards(this.readRole, Aws.PARTITION, Aws.ACCOUNT_ID);
    const applyPolicyScope = { kind: "tag", tagKey: applyTag.tagKey, tagValue: applyTagValue.valueAsString } as const;
    this.applyRole = trustedRole(
      "TuningApplyRole",
      TUNING_APPLY_ROLE_NAME,
      CONSOLE_ROLE_PATH,
      "Sightline: applies tuning changes (memory, provisioned and reserved concurrency) for the central console",
      applyPolicyStatements(applyPolicyScope, { partition: Aws.PARTITION, accountId: Aws.ACCOUNT_ID, regions: [] }),
    );
    (this.applyRole.node.defaultChild as CfnRole).cfnOptions.condition = applyRoleWanted;
    acknowledgeApplyPolicyWildcards(this.applyRole, applyPolicyScope, { partition: Aws.PARTITION, accountId: Aws.ACCOUNT_ID, regions: [] });

    new CfnOutput(this, "ReadRoleArn", { value: this.readRole.roleArn, description: "The role the collectors assume in this account" });
    new CfnOutput(this, "SightlineAccountsEntry", {
      value: `${Aws.ACCOUNT_ID}=${this.readRole.roleArn}`,
      description: "Add this entry to SIGHTLINE_ACCOUNTS (comma-separated) and redeploy the central stacks",
    });
    const applyOutput = new CfnOutput(this, "TuningApplyRoleArn", { value: this.applyRole.roleArn, description: "The role the console assumes to tune functions here" });
    applyOutput.condition = applyRoleWanted;
  }
}
