import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import type { ApplyScope } from "@/infra/config/deploy-config";
import { acknowledgeWildcardResource } from "@/infra/constructs/nag-acknowledgement";

/**
 * Every Lambda action the console's apply path calls (lib/adapters/aws/lambda-tuner.ts), and
 * nothing else: the reads of the current setting (before and after a change, for the audit and
 * the drift check) and the writes of memory, provisioned and reserved concurrency. No
 * lambda:TagResource, so the role cannot tag a function into its own scope.
 *
 * Every one of them supports `aws:ResourceTag/<key>` on the function (the provisioned
 * concurrency actions on its versions and aliases, which carry the function's tags): AWS Lambda
 * Developer Guide, "Resources and conditions for Lambda actions", Function actions table
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html).
 */
export const TUNING_APPLY_ACTIONS = [
  "lambda:GetFunctionConfiguration",
  "lambda:GetProvisionedConcurrencyConfig",
  "lambda:GetFunctionConcurrency",
  "lambda:UpdateFunctionConfiguration",
  "lambda:PutProvisionedConcurrencyConfig",
  "lambda:DeleteProvisionedConcurrencyConfig",
  "lambda:PutFunctionConcurrency",
  "lambda:DeleteFunctionConcurrency",
] as const;

/** Where a tag-scoped apply role may act: its own account, in the given regions (`*` for any). */
export interface ApplyPolicyTarget {
  partition: string;
  accountId: string;
  regions: readonly string[];
}

/**
 * The ARN patterns of an ARN scope plus, for each unqualified pattern, its `:*` qualified form:
 * provisioned concurrency is set on a version or alias ARN (`function:orders:live`), which an
 * unqualified ARN does not match. Sorted and without duplicates, so the template is stable.
 */
export function qualifiedArnPatterns(patterns: readonly string[]): string[] {
  const all = new Set<string>();
  for (const pattern of patterns) {
    all.add(pattern);
    // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]: 7 parts is unqualified.
    // (`orders-*` already matches `orders-x:live` in IAM; the explicit form costs nothing and reads plainly.)
    if (pattern.split(":").length === 7) all.add(`${pattern}:*`);
  }
  return [...all].sort();
}

/**
 * The apply role's permissions, shared by the central Apply stack and the member-account
 * template so both roles allow exactly the same calls.
 *
 * - `tag` scope: the actions on every function of the account in `target.regions`, on
 *   condition that the function carries the tag (`aws:ResourceTag/<key>` = value). The key is a
 *   JSON key in the policy, so it must be known when the template is synthesized; the value may
 *   be a token (a CloudFormation parameter).
 * - `arn` scope: the actions on the given function ARN patterns and their qualified forms.
 */
export function applyPolicyStatements(scope: ApplyScope, target: ApplyPolicyTarget): PolicyStatement[] {
  if (scope.kind === "arn") {
    return [
      new PolicyStatement({
        sid: "TuneFunctionsByArn",
        effect: Effect.ALLOW,
        actions: [...TUNING_APPLY_ACTIONS],
        resources: applyResources(scope, target),
      }),
    ];
  }
  return [
    new PolicyStatement({
      sid: "TuneTaggedFunctions",
      effect: Effect.ALLOW,
      actions: [...TUNING_APPLY_ACTIONS],
      resources: applyResources(scope, target),
      conditions: { StringEquals: { [`aws:ResourceTag/${scope.tagKey}`]: scope.tagValue } },
    }),
  ];
}

/**
 * The resources of the apply statement: the ARN scope's patterns and their qualified forms, or
 * for a tag scope every function of the account in the target regions (`function:*` also
 * matches the qualified ARNs of versions and aliases).
 */
function applyResources(scope: ApplyScope, target: ApplyPolicyTarget): string[] {
  if (scope.kind === "arn") return qualifiedArnPatterns(scope.functionArnPatterns);
  const regions = target.regions.length > 0 ? [...new Set(target.regions)].sort() : ["*"];
  return regions.map((region) => `arn:${target.partition}:lambda:${region}:${target.accountId}:function:*`);
}

/**
 * Acknowledges, on the apply role, exactly the wildcard resources of applyPolicyStatements
 * (cdk-nag AwsSolutions-IAM5), with the reason each is as narrow as the scope allows.
 */
export function acknowledgeApplyPolicyWildcards(role: IConstruct, scope: ApplyScope, target: ApplyPolicyTarget): void {
  const reason =
    scope.kind === "tag"
      ? `Tuning writes on function:* of this account, but only on functions tagged ${scope.tagKey} (aws:ResourceTag condition in the same statement); function:* also covers their versions and aliases, where provisioned concurrency is set.`
      : "SIGHTLINE_APPLY_SCOPE: the operator's own function ARN patterns, and their `:*` forms for provisioned concurrency on versions and aliases.";
  for (const resource of applyResources(scope, target)) {
    if (resource.includes("*")) acknowledgeWildcardResource(role, resource, reason);
  }
}
