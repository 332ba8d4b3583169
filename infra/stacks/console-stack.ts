import { Stack } from "aws-cdk-lib";
import { Role, ServicePrincipal, type IRole } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { CONSOLE_ROLE_PATH, type ConsoleStackOutputs, type ConsoleStackProps } from "@/infra/stacks/contracts";

/** STUB (helper B2 replaces it). */
export class ConsoleStack extends Stack implements ConsoleStackOutputs {
  readonly consoleRole: IRole;
  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    this.consoleRole = new Role(this, "ConsoleRole", { path: CONSOLE_ROLE_PATH, assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
  }
}
