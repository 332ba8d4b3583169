import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { ApplyStackProps } from "@/infra/stacks/contracts";

/** STUB (helper C replaces it). */
export class ApplyStack extends Stack {
  constructor(scope: Construct, id: string, props: ApplyStackProps) {
    super(scope, id, props);
  }
}
