import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { TABLE_DEFINITION } from "@/lib/adapters/dynamodb/keys";

/**
 * Creates the table when it does not exist and waits until it is ACTIVE. The definition is
 * TABLE_DEFINITION, the one the CDK Data stack deploys: on-demand billing, string pk/sk.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<"created" | "exists"> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return "exists";
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: TABLE_DEFINITION.partitionKey, AttributeType: "S" },
          { AttributeName: TABLE_DEFINITION.sortKey, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE_DEFINITION.sortKey, KeyType: "RANGE" },
        ],
      }),
    );
  } catch (error) {
    // Another process created it between our describe and create: that is fine.
    if ((error as { name?: string }).name !== "ResourceInUseException") throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return "created";
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
