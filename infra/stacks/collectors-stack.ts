import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { CollectorsStackProps } from "@/infra/stacks/contracts";

/** STUB (helper A replaces it). */
export class CollectorsStack extends Stack {
  constructor(scope: Construct, id: string, props: CollectorsStackProps) {
    super(scope, id, props);
  }
}
