import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { DataStack, globalSecondaryIndexesOf } from "@/infra/stacks/data-stack";
import { STACK_NAMES } from "@/infra/stacks/contracts";
import { TABLE_DEFINITION } from "@/lib/adapters/dynamodb/keys";

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The Data stack alone, synthesized offline from deploy settings. */
function synthesizeData(settings: Record<string, string>): { stack: DataStack; template: Template; resources: Record<string, Resource> } {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "sightline-data-")),
    context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [] },
  });
  const config = loadDeployConfig(() => undefined, { SIGHTLINE_REGION: "eu-west-1", ...settings });
  const stack = new DataStack(app, STACK_NAMES.data, { env: { region: config.SIGHTLINE_REGION }, config });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
}

function only(resources: Record<string, Resource>, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function theTable(resources: Record<string, Resource>): Resource {
  const tables = only(resources, "AWS::DynamoDB::GlobalTable");
  expect(tables).toHaveLength(1);
  return tables[0]![1];
}

function replicaOf(table: Resource): Record<string, unknown> {
  const replicas = table.Properties.Replicas as Record<string, unknown>[];
  expect(replicas).toHaveLength(1);
  return replicas[0]!;
}

describe("the Data stack's table", () => {
  const { resources, template } = synthesizeData({});
  const table = theTable(resources);
  const replica = replicaOf(table);

  it("has exactly TABLE_DEFINITION's string keys and no secondary index beyond its own", () => {
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: "HASH" },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: "RANGE" },
    ]);
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: TABLE_DEFINITION.partitionKey, AttributeType: "S" },
        { AttributeName: TABLE_DEFINITION.sortKey, AttributeType: "S" },
      ]),
    );
    expect(((table.Properties.GlobalSecondaryIndexes as unknown[] | undefined) ?? []).length).toBe(TABLE_DEFINITION.globalSecondaryIndexes.length);
    expect(table.Properties.LocalSecondaryIndexes).toBeUndefined();
  });

  it("bills on demand and expires items by TABLE_DEFINITION's TTL attribute", () => {
    expect(table.Properties.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_DEFINITION.ttlAttribute, Enabled: true });
  });

  it("keeps point-in-time recovery on and Contributor Insights off", () => {
    expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const insights = replica.ContributorInsightsSpecification as { Enabled: boolean } | undefined;
    expect(insights?.Enabled ?? false).toBe(false);
  });

  it("is named by SIGHTLINE_TABLE_NAME and outputs its name and ARN", () => {
    expect(table.Properties.TableName).toBe("sightline");
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["TableName", "TableArn"]));
  });
});

describe("encryption at rest", () => {
  it("uses DynamoDB's AWS-owned key by default: no KMS key, no SSE-KMS, no tableKey", () => {
    const { stack, resources } = synthesizeData({});
    const table = theTable(resources);
    expect(only(resources, "AWS::KMS::Key")).toEqual([]);
    const sse = table.Properties.SSESpecification as { SSEEnabled?: boolean; SSEType?: string } | undefined;
    expect(sse?.SSEEnabled ?? false).toBe(false);
    expect(replicaOf(table).SSESpecification).toBeUndefined();
    expect(stack.tableKey).toBeUndefined();
  });

  it("with SIGHTLINE_TABLE_KEY=customer-managed, encrypts with a rotated KMS key of its own, aliased and exposed as tableKey", () => {
    const { stack, resources, template } = synthesizeData({ SIGHTLINE_TABLE_KEY: "customer-managed" });
    const keys = only(resources, "AWS::KMS::Key");
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(only(resources, "AWS::KMS::Alias").map(([, a]) => a.Properties)).toEqual([
      { AliasName: "alias/sightline/sightline", TargetKeyId: { "Fn::GetAtt": [keyId, "Arn"] } },
    ]);
    const table = theTable(resources);
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: "KMS" });
    expect(replicaOf(table).SSESpecification).toEqual({ KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] } });
    expect(stack.tableKey).toBeDefined();
    expect(Object.keys(template.toJSON().Outputs as object)).toContain("TableKeyArn");
  });
});

describe("what survives the stack", () => {
  it("prod: deletion protection on, table and key retained on delete and replacement", () => {
    const { resources } = synthesizeData({ SIGHTLINE_STAGE: "prod", SIGHTLINE_TABLE_KEY: "customer-managed" });
    const table = theTable(resources);
    expect(replicaOf(table).DeletionProtectionEnabled).toBe(true);
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    const [, key] = only(resources, "AWS::KMS::Key")[0]!;
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
  });

  it("dev: no deletion protection, table and key deleted with the stack", () => {
    const { resources } = synthesizeData({ SIGHTLINE_STAGE: "dev", SIGHTLINE_TABLE_KEY: "customer-managed" });
    const table = theTable(resources);
    expect(replicaOf(table).DeletionProtectionEnabled ?? false).toBe(false);
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(["Delete", "Delete"]);
    const [, key] = only(resources, "AWS::KMS::Key")[0]!;
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(["Delete", "Delete"]);
    expect(key.Properties.PendingWindowInDays).toBe(7);
  });
});

describe("globalSecondaryIndexesOf", () => {
  it("maps an index written in keys.ts to string-keyed index props, sort key only when given", () => {
    const props = globalSecondaryIndexesOf({
      globalSecondaryIndexes: [
        { indexName: "byTeam", partitionKey: "team", sortKey: "updatedAt" },
        { indexName: "byOwner", partitionKey: "owner" },
      ],
    });
    expect(props).toEqual([
      { indexName: "byTeam", partitionKey: { name: "team", type: "S" }, sortKey: { name: "updatedAt", type: "S" } },
      { indexName: "byOwner", partitionKey: { name: "owner", type: "S" } },
    ]);
  });
});
