import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * A resource string as cdk-nag names it in an `AwsSolutions-IAM5[Resource::…]` finding: the
 * resolved CloudFormation value with `Fn::Join` flattened, `Ref` as `<Name>` and `Fn::GetAtt` as
 * `<LogicalId.Attribute>` (cdk-nag's flattenCfnReference). Computed from the very value the policy
 * holds, so the acknowledgement follows the resource when a logical id or setting changes, and a
 * resource that is not exactly this one stays a finding.
 */
export function nagResourceName(scope: IConstruct, resource: string): string {
  return flatten(Stack.of(scope).resolve(resource));
}

function flatten(node: unknown): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node.replace(/\$\{/g, "<").replace(/\}/g, ">");
  if (typeof node === "object" && node !== null) {
    const intrinsic = node as Record<string, unknown>;
    if (Array.isArray(intrinsic["Fn::Join"])) {
      const [delimiter, items] = intrinsic["Fn::Join"] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (intrinsic["Fn::Sub"] !== undefined) return flatten(intrinsic["Fn::Sub"]);
    if (Array.isArray(intrinsic["Fn::GetAtt"])) {
      const [resource, attribute] = intrinsic["Fn::GetAtt"] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (intrinsic["Fn::ImportValue"] !== undefined) return flatten(intrinsic["Fn::ImportValue"]);
    if (intrinsic.Ref !== undefined) return `<${flatten(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}

/**
 * Acknowledges one wildcard resource of an IAM policy on `scope` (the role or policy that holds
 * it, or an ancestor): the finding `AwsSolutions-IAM5[Resource::<resource>]` and no other. The
 * reason says why nothing narrower works; a new wildcard elsewhere in the same role still fails
 * the synth.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceName(scope, resource)}]`, reason });
}

/** Acknowledges one wildcard action (`s3:GetObject*`) on `scope`: `AwsSolutions-IAM5[Action::<action>]` only. */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}
