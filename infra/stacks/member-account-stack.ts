import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { SightlineStackProps } from "@/infra/stacks/contracts";

/** STUB (helper C replaces it). */
export class MemberAccountStack extends Stack {
  constructor(scope: Construct, id: string, props: SightlineStackProps) {
    super(scope, id, props);
  }
}
