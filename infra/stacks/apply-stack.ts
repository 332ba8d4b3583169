import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import { ArnPrincipal, PolicyDocument, Role, type IRole } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { acknowledgeApplyPolicyWildcards, applyPolicyStatements } from "@/infra/constructs/apply-policy";
import { TUNING_APPLY_ROLE_NAME, type ApplyStackProps } from "@/infra/stacks/contracts";

/**
 * The tuning write role of the central account: the only holder of Lambda write actions in
 * Sightline. The console's execution role has none; to apply a change it assumes this role
 * (session `sightline-tuning`, so CloudTrail names the change) exactly as it assumes the same-named
 * role in a member account (member-account-stack.ts).
 *
 * - Trust: the console Lambda's execution role alone (its ARN, a reference to the Console
 *   stack), no account root and no other principal.
 * - Sessions last at most 1 hour, what lib/adapters/aws/assume-role.ts asks for.
 * - Permissions: apply-policy.ts for SIGHTLINE_APPLY_SCOPE, limited to the regions the
 *   collectors read (SIGHTLINE_REGIONS, else SIGHTLINE_REGION) under a tag scope.
 */
export class ApplyStack extends Stack {
  readonly applyRole: IRole;

  constructor(scope: Construct, id: string, props: ApplyStackProps) {
    super(scope, id, props);
    const { config } = props;
    const regions = config.SIGHTLINE_REGIONS.length > 0 ? config.SIGHTLINE_REGIONS : [config.SIGHTLINE_REGION];

    const target = { partition: this.partition, accountId: this.account, regions };
    this.applyRole = new Role(this, "TuningApplyRole", {
      roleName: TUNING_APPLY_ROLE_NAME,
      description: "Sightline: applies tuning changes (memory, provisioned and reserved concurrency) for the console",
      assumedBy: new ArnPrincipal(props.consoleRole.roleArn),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        TuningApply: new PolicyDocument({ statements: applyPolicyStatements(config.SIGHTLINE_APPLY_SCOPE, target) }),
      },
    });
    acknowledgeApplyPolicyWildcards(this.applyRole, config.SIGHTLINE_APPLY_SCOPE, target);

    new CfnOutput(this, "TuningApplyRoleArn", { value: this.applyRole.roleArn, description: "The role the console assumes to apply a tuning change" });
  }
}
