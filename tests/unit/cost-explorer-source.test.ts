import { describe, expect, it } from "vitest";
import { GetCostAndUsageWithResourcesCommand, type CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { CostExplorerPagingError, CostExplorerSource } from "@/lib/adapters/aws/cost-explorer-source";
import { CostDataUnavailableError } from "@/lib/ports/cost-source";
import { LAMBDA_RESOURCE_GROUPING, SERVICE_USAGE_GROUPING, tagGrouping } from "@/lib/domain/cost/cost-groupings";
import { planCostReads, type CostQuery } from "@/lib/domain/cost/cost-read-plan";

/** The adapter's parsing and paging against canned Cost Explorer pages (the wire path is tested against the simulator). */

const NOW = Date.parse("2026-11-26T12:00:00Z");
const D25 = Date.parse("2026-11-25T00:00:00Z");
const D26 = Date.parse("2026-11-26T00:00:00Z");

function queryFor(grouping = SERVICE_USAGE_GROUPING): CostQuery {
  const plan = planCostReads({ watermarkMs: D25, backfillFromMs: 0, nowMs: NOW, groupings: [grouping] });
  return plan.queries[0]!;
}

const money = (amount: string) => ({ Amount: amount, Unit: "USD" });
const metrics = (amount: string) => ({
  UnblendedCost: money(amount),
  AmortizedCost: money(amount),
  NetUnblendedCost: money(amount),
  NetAmortizedCost: money(amount),
  UsageQuantity: { Amount: "3", Unit: "Requests" },
});

/** A client that answers `pages` in order and records what it was sent. */
function stubClient(pages: unknown[]) {
  const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = {
    async send(command: { input: Record<string, unknown> }) {
      sent.push({ command: command.constructor.name, input: command.input });
      const page = pages[sent.length - 1];
      if (page === undefined) throw new Error("no more pages");
      return page;
    },
  } as unknown as CostExplorerClient;
  return { client, sent };
}

describe("CostExplorerSource", () => {
  it("follows NextPageToken, merges a period split across pages, counts every page", async () => {
    const { client, sent } = stubClient([
      {
        NextPageToken: "t1",
        ResultsByTime: [
          { TimePeriod: { Start: "2026-11-25", End: "2026-11-26" }, Estimated: false, Groups: [{ Keys: ["AWS Lambda", "Request"], Metrics: metrics("0.2") }] },
          { TimePeriod: { Start: "2026-11-26", End: "2026-11-27" }, Estimated: true, Groups: [{ Keys: ["AWS Lambda", "Request"], Metrics: metrics("0.1") }] },
        ],
      },
      {
        ResultsByTime: [
          { TimePeriod: { Start: "2026-11-26", End: "2026-11-27" }, Estimated: true, Groups: [{ Keys: ["Amazon DynamoDB", "WriteRequestUnits"], Metrics: metrics("0.0000166667") }] },
        ],
      },
    ]);
    const warnings: string[] = [];
    const answer = await new CostExplorerSource(client, (m) => warnings.push(m)).getCostAndUsage(queryFor());
    expect(answer.pagesRequested).toBe(2);
    expect(answer.periods).toEqual([
      { startMs: D25, estimated: false },
      { startMs: D26, estimated: true },
    ]);
    expect(answer.lines.map((l) => [l.periodStartMs, l.service, l.usageType, l.unblendedCostMicroUsd, l.usageQuantity, l.usageUnit, l.estimated])).toEqual([
      [D25, "AWS Lambda", "Request", 200_000, 3, "Requests", false],
      [D26, "AWS Lambda", "Request", 100_000, 3, "Requests", true],
      [D26, "Amazon DynamoDB", "WriteRequestUnits", 17, 3, "Requests", true],
    ]);
    expect(sent.map((s) => s.command)).toEqual(["GetCostAndUsageCommand", "GetCostAndUsageCommand"]);
    expect(sent[0]!.input).toEqual({
      TimePeriod: { Start: "2026-11-25", End: "2026-11-27" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost", "UsageQuantity"],
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
    });
    expect(sent[1]!.input.NextPageToken).toBe("t1");
    expect(warnings).toEqual([]);
  });

  it("per-function lines go through GetCostAndUsageWithResources with the Lambda filter", async () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
    const { client, sent } = stubClient([
      { ResultsByTime: [{ TimePeriod: { Start: "2026-11-25", End: "2026-11-26" }, Estimated: false, Groups: [{ Keys: [arn, "Request"], Metrics: metrics("1") }] }] },
    ]);
    const answer = await new CostExplorerSource(client, () => {}).getCostAndUsage(queryFor(LAMBDA_RESOURCE_GROUPING));
    expect(sent[0]!.command).toBe(GetCostAndUsageWithResourcesCommand.name);
    expect(sent[0]!.input.Filter).toEqual({ Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } });
    expect(answer.lines[0]).toMatchObject({ resourceId: arn, usageType: "Request", unblendedCostMicroUsd: 1_000_000 });
  });

  it("malformed groups and periods are warned about and left out; the rest is kept", async () => {
    const { client } = stubClient([
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: "2026-11-25", End: "2026-11-26" },
            Estimated: false,
            Groups: [
              { Keys: ["AWS Lambda", "team$commerce"], Metrics: metrics("1") },
              { Keys: ["AWS Lambda", "env$prod"], Metrics: metrics("1") },
              { Keys: ["AWS Lambda", "team$x"], Metrics: { ...metrics("1"), UnblendedCost: { Amount: "lots", Unit: "USD" } } },
              { Keys: "AWS Lambda", Metrics: metrics("1") },
              { Keys: ["AWS Lambda", "team$y"], Metrics: { UnblendedCost: { Amount: 1, Unit: "USD" } } },
            ],
          },
          { TimePeriod: { Start: "yesterday", End: "2026-11-27" }, Estimated: true, Groups: [] },
          { TimePeriod: { Start: "2026-11-26", End: "2026-11-27" }, Groups: [] },
        ],
      },
    ]);
    const warnings: string[] = [];
    const answer = await new CostExplorerSource(client, (m) => warnings.push(m)).getCostAndUsage(queryFor(tagGrouping("team")));
    expect(answer.lines.map((l) => l.tagValue)).toEqual(["commerce"]);
    // The period without Estimated is read as an estimate; the unreadable one is not answered.
    expect(answer.periods).toEqual([
      { startMs: D25, estimated: false },
      { startMs: D26, estimated: true },
    ]);
    expect(warnings).toEqual([
      'tag:team 2026-11-25: skipped malformed group (tag group key "env$prod" does not start with "team$")',
      'tag:team 2026-11-25: skipped malformed group (UnblendedCost: "lots" is not a decimal number)',
      "tag:team 2026-11-25: skipped malformed group (Keys: Invalid input: expected array, received string)",
      "tag:team 2026-11-25: skipped malformed group (Metrics.UnblendedCost.Amount: Invalid input: expected string, received number)",
      "tag:team: skipped malformed result period 2 of page 1",
      "tag:team: 1 result periods had no Estimated flag; read as estimated",
    ]);
  });

  it("a token that comes back again is a loop, not more data", async () => {
    const page = { NextPageToken: "same", ResultsByTime: [] };
    const { client } = stubClient([page, page, page]);
    await expect(new CostExplorerSource(client, () => {}).getCostAndUsage(queryFor())).rejects.toBeInstanceOf(CostExplorerPagingError);
  });

  it("DataUnavailableException becomes CostDataUnavailableError (the use case skips that grouping); other errors pass through", async () => {
    const failing = (name: string) =>
      ({
        send: async () => {
          throw Object.assign(new Error("Data is not available."), { name });
        },
      }) as unknown as CostExplorerClient;
    await expect(new CostExplorerSource(failing("DataUnavailableException"), () => {}).getCostAndUsage(queryFor(LAMBDA_RESOURCE_GROUPING))).rejects.toBeInstanceOf(
      CostDataUnavailableError,
    );
    await expect(new CostExplorerSource(failing("LimitExceededException"), () => {}).getCostAndUsage(queryFor())).rejects.toMatchObject({ name: "LimitExceededException" });
  });

  it("an unreachable endpoint names the API", async () => {
    const client = {
      send: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" });
      },
    } as unknown as CostExplorerClient;
    await expect(new CostExplorerSource(client, () => {}).getCostAndUsage(queryFor())).rejects.toThrow(/cannot reach the Cost Explorer API/);
  });
});
