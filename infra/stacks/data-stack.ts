import { CfnOutput, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { AttributeType, Billing, TableEncryptionV2, TableV2, type GlobalSecondaryIndexPropsV2, type ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Key, type IKey } from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { TABLE_DEFINITION } from "@/lib/adapters/dynamodb/keys";
import type { DataStackOutputs, SightlineStackProps } from "@/infra/stacks/contracts";

/**
 * The global secondary indexes of TABLE_DEFINITION as CDK props, so an index added in keys.ts
 * deploys with the next `cdk deploy`. Key attributes are strings, like pk and sk (every key in
 * keys.ts is a string); projection ALL, the TableV2 default.
 */
export function globalSecondaryIndexesOf(definition: Pick<typeof TABLE_DEFINITION, "globalSecondaryIndexes">): GlobalSecondaryIndexPropsV2[] {
  return definition.globalSecondaryIndexes.map((index) => ({
    indexName: index.indexName,
    partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
    ...(index.sortKey === undefined ? {} : { sortKey: { name: index.sortKey, type: AttributeType.STRING } }),
  }));
}

/** A KMS alias for the table's key: `alias/sightline/<table name>` with the characters aliases allow. */
function keyAliasOf(tableName: string): string {
  return `alias/sightline/${tableName.replace(/[^a-zA-Z0-9/_-]/g, "-")}`;
}

/**
 * The single DynamoDB table (lib/adapters/dynamodb/keys.ts TABLE_DEFINITION): string pk/sk,
 * on-demand, TTL on the definition's attribute, point-in-time recovery on.
 *
 * - `prod` keeps the data when the stack goes: deletion protection on, RemovalPolicy.RETAIN for
 *   the table (and its key). `dev` deletes both with the stack.
 * - Encryption at rest: DynamoDB's AWS-owned key (free, the default) or, with
 *   SIGHTLINE_TABLE_KEY=customer-managed, a KMS key this stack creates (yearly rotation, an
 *   alias), exposed as `tableKey` so the other stacks' grants on the table include it.
 * - Contributor Insights stays off: it is billed per event and Sightline's own access patterns
 *   are written down in keys.ts.
 */
export class DataStack extends Stack implements DataStackOutputs {
  readonly table: ITableV2;
  readonly tableKey: IKey | undefined;

  constructor(scope: Construct, id: string, props: SightlineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prod = config.SIGHTLINE_STAGE === "prod";
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.tableKey =
      config.SIGHTLINE_TABLE_KEY === "customer-managed"
        ? new Key(this, "TableKey", {
            description: `Sightline (${config.SIGHTLINE_STAGE}): encryption at rest of the DynamoDB table ${config.SIGHTLINE_TABLE_NAME}`,
            enableKeyRotation: true,
            alias: keyAliasOf(config.SIGHTLINE_TABLE_NAME),
            removalPolicy,
            // The shortest wait KMS allows in dev; prod retains the key and never schedules deletion.
            pendingWindow: Duration.days(prod ? 30 : 7),
          })
        : undefined;

    const table = new TableV2(this, "Table", {
      tableName: config.SIGHTLINE_TABLE_NAME,
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: globalSecondaryIndexesOf(TABLE_DEFINITION),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_DEFINITION.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: this.tableKey ? TableEncryptionV2.customerManagedKey(this.tableKey) : TableEncryptionV2.dynamoOwnedKey(),
      contributorInsightsSpecification: { enabled: false },
      deletionProtection: prod,
      removalPolicy,
    });
    this.table = table;

    new CfnOutput(this, "TableName", { value: table.tableName, description: "The table's name (TABLE_NAME of the collectors and the console)" });
    new CfnOutput(this, "TableArn", { value: table.tableArn, description: "The table's ARN" });
    if (this.tableKey) new CfnOutput(this, "TableKeyArn", { value: this.tableKey.keyArn, description: "The customer-managed KMS key encrypting the table" });
  }
}
