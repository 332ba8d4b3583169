import { describe, expect, it } from "vitest";
import { loadCollectorConfig } from "@/lib/config/collector-config";
import { estimateApiCostUsd } from "@/lib/domain/collection/api-usage";
import { capWarnings } from "@/lib/domain/collection/collector-run";

describe("SIGHTLINE_ACCOUNTS and SIGHTLINE_REGIONS", () => {
  it("reads the own account and member accounts with their roles", () => {
    const config = loadCollectorConfig({
      SIGHTLINE_ACCOUNTS: "111122223333, 444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly",
      SIGHTLINE_REGIONS: "us-east-1,eu-west-1",
    });
    expect(config.SIGHTLINE_ACCOUNTS).toEqual([
      { accountId: "111122223333", roleArn: null },
      { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/SightlineReadOnly" },
    ]);
    expect(config.SIGHTLINE_REGIONS).toEqual(["us-east-1", "eu-west-1"]);
    expect(loadCollectorConfig({}).SIGHTLINE_ACCOUNTS).toEqual([]);
  });

  it.each([
    ["12345", /SIGHTLINE_ACCOUNTS.*"12345": the account id must be 12 digits/],
    ["444455556666=arn:aws:iam::111122223333:role/R", /the role ARN is in account 111122223333, not 444455556666/],
    ["444455556666=role/R", /must be an IAM role ARN/],
    ["111122223333,111122223333", /account 111122223333 is listed twice/],
    ["111122223333,444455556666", /at most one account may be read without a role/],
  ])("rejects %j with the reason", (value, message) => {
    expect(() => loadCollectorConfig({ SIGHTLINE_ACCOUNTS: value })).toThrow(message);
  });

  it("rejects a region that is not a region code", () => {
    expect(() => loadCollectorConfig({ SIGHTLINE_REGIONS: "us-east-1,Frankfurt" })).toThrow(/SIGHTLINE_REGIONS/);
  });
});

describe("estimateApiCostUsd", () => {
  it("prices each operation by its billable units (FACTS.md §6)", () => {
    expect(
      estimateApiCostUsd({
        // 1,000 metrics requested = $0.01
        "CloudWatch.GetMetricData": { requests: 2, units: 1000 },
        // every Cost Explorer request $0.01
        "CostExplorer.GetCostAndUsage": { requests: 3, units: 3 },
        // 1 GB scanned = $0.005
        "CloudWatchLogs.GetQueryResults": { requests: 9, units: 1024 ** 3 },
        // 1 M traces retrieved = $0.50
        "XRay.BatchGetTraces": { requests: 1, units: 1_000_000 },
        // free
        "Lambda.ListFunctions": { requests: 4, units: 0 },
      }),
    ).toBeCloseTo(0.01 + 0.03 + 0.005 + 0.5, 10);
  });
});

describe("capWarnings", () => {
  it("keeps 20 warnings and counts the rest", () => {
    const capped = capWarnings(Array.from({ length: 25 }, (_, i) => `w${i}`));
    expect(capped).toHaveLength(20);
    expect(capped.at(-1)).toBe("… and 6 more warnings");
  });
});
