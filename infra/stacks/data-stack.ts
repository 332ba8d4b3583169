import { Stack } from "aws-cdk-lib";
import { AttributeType, TableV2, type ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { TABLE_DEFINITION } from "@/lib/adapters/dynamodb/keys";
import type { DataStackOutputs, SightlineStackProps } from "@/infra/stacks/contracts";

/** STUB (helper C replaces it): the single table. */
export class DataStack extends Stack implements DataStackOutputs {
  readonly table: ITableV2;
  readonly tableKey: IKey | undefined = undefined;
  constructor(scope: Construct, id: string, props: SightlineStackProps) {
    super(scope, id, props);
    this.table = new TableV2(this, "Table", {
      tableName: props.config.SIGHTLINE_TABLE_NAME,
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: AttributeType.STRING },
    });
  }
}
