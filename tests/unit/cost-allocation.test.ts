import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  UNATTRIBUTED_FUNCTION,
  allocateDay,
  dailyTotalsByBucket,
  functionsOfBucket,
  lambdaUsageKind,
  rowKey,
  servicesOfBucket,
  sumAllocatedDays,
  totalsByBucket,
  totalsByBucketService,
  totalsBySource,
} from "@/lib/domain/cost/allocation";
import { DEFAULT_COST_POOLS, poolsFor } from "@/lib/domain/cost/cost-settings";
import {
  bucketId,
  type AllocatedDay,
  type AllocationDayInput,
  type BillLine,
  type CostGroupBy,
  type CostPool,
  type FunctionLine,
  type IdleCapacity,
  type SplitRule,
  type TaggedLine,
} from "@/lib/domain/cost/cost-types";
import { idleCapacityOf } from "@/lib/domain/cost/idle-capacity";
import { REGION_BILLING_CODES, USAGE_KINDS, usageTypeFor, type UsageKind } from "@/infra/local/sim/cost/usage-types";

// ── Builders ────────────────────────────────────────────────────────────────────────────

const DAY_MS = Date.UTC(2026, 10, 26);
const LAMBDA = "AWS Lambda";
const APIGW = "Amazon API Gateway";
const DDB = "Amazon DynamoDB";
const SQS = "Amazon Simple Queue Service";
const BY_TEAM: CostGroupBy = { kind: "tag", key: "team" };
const BY_SERVICE: CostGroupBy = { kind: "service" };

const aBillLine = (service: string, microUsd: number, usageType = "Usage"): BillLine => ({ service, usageType, microUsd, usageQuantity: 1, usageUnit: "N/A" });
const aTaggedLine = (service: string, tagValue: string, microUsd: number): TaggedLine => ({ service, tagValue, microUsd });
const aFunctionLine = (functionName: string, tags: Record<string, string>, usageType: string, microUsd: number, usageQuantity = 0, usageUnit = "Lambda-GB-Second"): FunctionLine => ({
  functionName,
  resourceId: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  usageType,
  microUsd,
  usageQuantity,
  usageUnit,
  tags,
});
const aDay = (overrides: Partial<AllocationDayInput> = {}): AllocationDayInput => ({
  dayMs: DAY_MS,
  estimated: false,
  bill: [],
  tagged: [],
  functions: null,
  idle: [],
  ...overrides,
});
const aPool = (services: string[], rule: SplitRule, overrides: Partial<CostPool> = {}): CostPool => ({ name: "shared", services, tagKey: "team", rule, ...overrides });

const sumRows = (day: AllocatedDay) => day.rows.reduce((s, r) => s + r.microUsd, 0);
const amountOf = (day: AllocatedDay, id: string, service?: string, source?: string) =>
  day.rows.filter((r) => bucketId(r.bucket) === id && (service === undefined || r.service === service) && (source === undefined || r.source === source)).reduce((s, r) => s + r.microUsd, 0);
const functionAmount = (day: AllocatedDay, id: string, functionName: string) =>
  (day.functions ?? []).filter((f) => bucketId(f.bucket) === id && f.functionName === functionName).reduce((s, f) => s + f.microUsd, 0);

// ── lambdaUsageKind ─────────────────────────────────────────────────────────────────────

describe("lambdaUsageKind", () => {
  const expected: Partial<Record<UsageKind, string>> = {
    "lambda-request": "requests",
    "lambda-duration": "duration",
    "lambda-provisioned-duration": "provisioned-duration",
    "lambda-provisioned-concurrency": "provisioned-concurrency",
  };

  it("reads every Lambda usage type the simulator bills, in every region and on both architectures", () => {
    for (const [kind, want] of Object.entries(expected) as [UsageKind, string][]) {
      for (const region of Object.keys(REGION_BILLING_CODES)) {
        for (const architecture of ["x86_64", "arm64"] as const) {
          const usageType = usageTypeFor(kind, region, architecture);
          expect(lambdaUsageKind(usageType, USAGE_KINDS[kind].unit), usageType).toBe(want);
        }
      }
    }
  });

  it.each([
    ["Request", "Requests", "requests"],
    ["USE2-Request-ARM", "Requests", "requests"],
    ["EU-Lambda-GB-Second", "Lambda-GB-Second", "duration"],
    ["USE1-Lambda-GB-Second-ARM", "Lambda-GB-Second", "duration"],
    ["APN1-Lambda-Provisioned-GB-Second-ARM", "Lambda-GB-Second", "provisioned-duration"],
    ["Lambda-Provisioned-Concurrency", "Lambda-GB-Second", "provisioned-concurrency"],
    ["lambda-provisioned-concurrency-arm", "Lambda-GB-Second", "provisioned-concurrency"],
    ["Lambda-Edge-Request", "Requests", "requests"],
    ["Lambda-Edge-GB-Second", "Lambda-GB-Second", "duration"],
    ["USE1-Some-Future-Request-Kind", "Requests", "requests"], // unknown name, unit says requests
    ["USE1-DataTransfer-Out-Bytes", "GB", "other"],
    ["USE1-Lambda-Unknown-GB-Second", "Lambda-GB-Second", "other"], // not guessed as duration
  ])("%s (%s) → %s", (usageType, unit, kind) => {
    expect(lambdaUsageKind(usageType, unit)).toBe(kind);
  });
});

// ── Concrete days ───────────────────────────────────────────────────────────────────────

describe("allocateDay: the reference ecommerce shape", () => {
  it("an untagged function (legacy-report-generator, tags {}) lands in unallocated, with its function lines", () => {
    const day = allocateDay(
      aDay({
        bill: [aBillLine(LAMBDA, 700_000, "Lambda-GB-Second"), aBillLine(LAMBDA, 300_000, "Request")],
        tagged: [aTaggedLine(LAMBDA, "payments", 600_000), aTaggedLine(LAMBDA, "", 400_000)],
        functions: [
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-GB-Second", 400_000),
          aFunctionLine("payments-api", { team: "payments" }, "Request", 200_000),
          aFunctionLine("legacy-report-generator", {}, "Lambda-GB-Second", 300_000),
          aFunctionLine("legacy-report-generator", {}, "Request", 100_000),
        ],
      }),
      BY_TEAM,
      poolsFor(DEFAULT_COST_POOLS, "team"),
    );
    expect(day.rows).toEqual([
      { bucket: { kind: "unallocated" }, service: LAMBDA, source: "untagged", microUsd: 400_000 },
      { bucket: { kind: "value", value: "payments" }, service: LAMBDA, source: "tagged", microUsd: 600_000 },
    ]);
    expect(day.functions).toEqual([
      { bucket: { kind: "unallocated" }, functionName: "legacy-report-generator", usageType: "Lambda-GB-Second", microUsd: 300_000 },
      { bucket: { kind: "unallocated" }, functionName: "legacy-report-generator", usageType: "Request", microUsd: 100_000 },
      { bucket: { kind: "value", value: "payments" }, functionName: "payments-api", usageType: "Lambda-GB-Second", microUsd: 400_000 },
      { bucket: { kind: "value", value: "payments" }, functionName: "payments-api", usageType: "Request", microUsd: 200_000 },
    ]);
    expect(day.billMicroUsd).toBe(1_000_000);
    expect(day.notes).toEqual([]);
  });

  it("payments-api keeps 50 PC at 25 % utilisation: 75 % of its PC charge (13,500,108 of 18,000,144 µUSD, FACTS §2) moves to idle", () => {
    // 50 × 1 GB × 86,400 s × $0.0000041667 per GB-s = $18.000144.
    const pcMicroUsd = (50 * 86_400 * 41_667) / 10_000;
    expect(pcMicroUsd).toBe(18_000_144);
    const durationMicroUsd = 2_000_000;
    const idle = idleCapacityOf({ functionName: "payments-api", tags: { team: "payments" }, provisionedMicroUsd: pcMicroUsd, utilisationRatio: 0.25 });
    const day = allocateDay(
      aDay({
        bill: [aBillLine(LAMBDA, pcMicroUsd, "Lambda-Provisioned-Concurrency"), aBillLine(LAMBDA, durationMicroUsd, "Lambda-Provisioned-GB-Second")],
        tagged: [aTaggedLine(LAMBDA, "payments", pcMicroUsd + durationMicroUsd)],
        functions: [
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-Provisioned-Concurrency", pcMicroUsd, 4_320_000),
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-Provisioned-GB-Second", durationMicroUsd, 205_714),
        ],
        idle: [idle],
      }),
      BY_TEAM,
      [],
    );
    expect(amountOf(day, "idle", LAMBDA, "idle")).toBe(13_500_108);
    expect(amountOf(day, "value:payments", LAMBDA, "tagged")).toBe(pcMicroUsd + durationMicroUsd - 13_500_108);
    expect(day.functions).toEqual([
      { bucket: { kind: "idle" }, functionName: "payments-api", usageType: "Lambda-Provisioned-Concurrency", microUsd: 13_500_108 },
      { bucket: { kind: "value", value: "payments" }, functionName: "payments-api", usageType: "Lambda-Provisioned-Concurrency", microUsd: 4_500_036 },
      { bucket: { kind: "value", value: "payments" }, functionName: "payments-api", usageType: "Lambda-Provisioned-GB-Second", microUsd: durationMicroUsd },
    ]);
    expect(sumRows(day)).toBe(day.billMicroUsd);
  });

  it("groupBy service: every service is its own bucket; idle PC comes out of AWS Lambda", () => {
    const day = allocateDay(
      aDay({
        bill: [aBillLine(LAMBDA, 1_000), aBillLine(APIGW, 300), aBillLine(APIGW, 200), aBillLine(DDB, 50)],
        tagged: [aTaggedLine(APIGW, "", 500)], // ignored: a service grouping has no tags
        idle: [{ functionName: "payments-api", tags: { team: "payments" }, provisionedMicroUsd: 400, utilisationRatio: 0.5, idleMicroUsd: 200 }],
      }),
      BY_SERVICE,
      DEFAULT_COST_POOLS,
    );
    expect(day.rows).toEqual([
      // Sorted by bucket id in code-unit order: "value:AWS…" before "value:Amazon…" (W < m).
      { bucket: { kind: "idle" }, service: LAMBDA, source: "idle", microUsd: 200 },
      { bucket: { kind: "value", value: LAMBDA }, service: LAMBDA, source: "tagged", microUsd: 800 },
      { bucket: { kind: "value", value: APIGW }, service: APIGW, source: "tagged", microUsd: 500 },
      { bucket: { kind: "value", value: DDB }, service: DDB, source: "tagged", microUsd: 50 },
    ]);
    expect(day.functions).toBeNull();
  });
});

describe("allocateDay: tagged cost against the bill", () => {
  it("Cost Explorer's rounding noise between tagged lines and the bill is absorbed proportionally", () => {
    // Bill 1,000; tagged 600 + 399 (one µUSD lost to separate rounding): 600.6 → 601, 399.4 → 399.
    const day = allocateDay(aDay({ bill: [aBillLine(DDB, 1_000)], tagged: [aTaggedLine(DDB, "payments", 600), aTaggedLine(DDB, "commerce", 399)] }), BY_TEAM, []);
    expect(amountOf(day, "value:payments")).toBe(601);
    expect(amountOf(day, "value:commerce")).toBe(399);
  });

  it("a service with a bill but no tagged lines is all untagged; no pool → unallocated", () => {
    const day = allocateDay(aDay({ bill: [aBillLine("Amazon S3", 5_000)] }), BY_TEAM, DEFAULT_COST_POOLS);
    expect(day.rows).toEqual([{ bucket: { kind: "unallocated" }, service: "Amazon S3", source: "untagged", microUsd: 5_000 }]);
  });

  it("tagged cost of a service absent from the bill is ignored, with a note: the bill is what is allocated", () => {
    const day = allocateDay(aDay({ bill: [aBillLine(DDB, 100)], tagged: [aTaggedLine(DDB, "payments", 100), aTaggedLine(SQS, "payments", 40)] }), BY_TEAM, []);
    expect(sumRows(day)).toBe(100);
    expect(day.rows.some((r) => r.service === SQS)).toBe(false);
    expect(day.notes.join(" ")).toContain(SQS);
  });

  it("tagged amounts of mixed signs (a tagged credit) keep their amounts; only the difference to the bill is spread", () => {
    const day = allocateDay(aDay({ bill: [aBillLine(DDB, 1_000)], tagged: [aTaggedLine(DDB, "payments", 1_200), aTaggedLine(DDB, "commerce", -200), aTaggedLine(DDB, "", 4)] }), BY_TEAM, []);
    // Tagged Σ = 1,004, bill 1,000: −4 apportioned by |amount| 1,200 / 200 / 4 → −3 / −1 / 0 (remainders .43, .57, .99: the credit mirrors).
    expect(sumRows(day)).toBe(1_000);
    expect(amountOf(day, "value:payments")).toBe(1_197);
    expect(amountOf(day, "value:commerce")).toBe(-201);
    expect(amountOf(day, "unallocated")).toBe(4);
  });
});

describe("allocateDay: shared-cost pools", () => {
  const directlyTagged = [aBillLine(DDB, 3_000), aBillLine(APIGW, 1_000_001)];
  const taggedDdb = [aTaggedLine(DDB, "payments", 2_000), aTaggedLine(DDB, "commerce", 1_000)];

  it("fixed 60/40 of 1,000,001 µUSD → 600,001 / 400,000: the leftover µUSD goes to the larger fraction (.6 > .4)", () => {
    const pool = aPool([APIGW], { method: "fixed", percentages: { payments: 60, commerce: 40 } }, { name: "api" });
    const day = allocateDay(aDay({ bill: directlyTagged, tagged: [...taggedDdb, aTaggedLine(APIGW, "", 1_000_001)] }), BY_TEAM, [pool]);
    expect(amountOf(day, "value:payments", APIGW, "shared")).toBe(600_001);
    expect(amountOf(day, "value:commerce", APIGW, "shared")).toBe(400_000);
    expect(day.rows.filter((r) => r.source === "shared").every((r) => r.pool === "api")).toBe(true);
  });

  it("fixed percentages name values that had no cost that day: they still get their share", () => {
    const pool = aPool([APIGW], { method: "fixed", percentages: { payments: 50, "data-platform": 50 } });
    const day = allocateDay(aDay({ bill: [aBillLine(APIGW, 1_000)], tagged: [aTaggedLine(APIGW, "", 1_000)] }), BY_TEAM, [pool]);
    expect(amountOf(day, "value:data-platform", APIGW, "shared")).toBe(500);
    expect(amountOf(day, "value:payments", APIGW, "shared")).toBe(500);
  });

  it("even: 10 µUSD over the 3 values with tagged cost → 4 / 3 / 3, the extra µUSD to the first value in ascending order", () => {
    const pool = aPool([SQS], { method: "even" });
    const day = allocateDay(
      aDay({
        bill: [aBillLine(DDB, 600), aBillLine(SQS, 10)],
        tagged: [aTaggedLine(DDB, "payments", 100), aTaggedLine(DDB, "commerce", 200), aTaggedLine(DDB, "catalog", 300), aTaggedLine(SQS, "", 10)],
      }),
      BY_TEAM,
      [pool],
    );
    expect(amountOf(day, "value:catalog", SQS, "shared")).toBe(4);
    expect(amountOf(day, "value:commerce", SQS, "shared")).toBe(3);
    expect(amountOf(day, "value:payments", SQS, "shared")).toBe(3);
  });

  it("proportional by cost: by each value's directly tagged cost that day, across services (the default pool)", () => {
    const day = allocateDay(aDay({ bill: directlyTagged, tagged: [...taggedDdb, aTaggedLine(APIGW, "", 1_000_001)] }), BY_TEAM, DEFAULT_COST_POOLS);
    // 2,000 : 1,000 → 666,667.33 / 333,333.67 → 666,667 / 333,334.
    expect(amountOf(day, "value:payments", APIGW, "shared")).toBe(666_667);
    expect(amountOf(day, "value:commerce", APIGW, "shared")).toBe(333_334);
    expect(day.rows.find((r) => r.source === "shared")?.pool).toBe("shared-services");
  });

  it("proportional by requests: from the Request lines (any region prefix and architecture) of each value's functions", () => {
    const pool = aPool([APIGW], { method: "proportional", basis: "requests" });
    const day = allocateDay(
      aDay({
        bill: [aBillLine(APIGW, 1_000)],
        tagged: [aTaggedLine(APIGW, "", 1_000)],
        functions: [
          aFunctionLine("payments-api", { team: "payments" }, "USE2-Request-ARM", 0, 3_000, "Requests"),
          aFunctionLine("payments-api", { team: "payments" }, "USE2-Lambda-GB-Second-ARM", 0, 1e9),
          aFunctionLine("orders-api", { team: "commerce" }, "Request", 0, 1_000, "Requests"),
          aFunctionLine("legacy-report-generator", {}, "Request", 0, 1e9, "Requests"), // untagged: no weight
        ],
      }),
      BY_TEAM,
      [pool],
    );
    expect(amountOf(day, "value:payments", APIGW)).toBe(750);
    expect(amountOf(day, "value:commerce", APIGW)).toBe(250);
  });

  it("proportional by GB-s: on-demand plus provisioned duration, not the PC allocation", () => {
    const pool = aPool([DDB], { method: "proportional", basis: "gb-seconds" });
    const day = allocateDay(
      aDay({
        bill: [aBillLine(DDB, 900)],
        functions: [
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-GB-Second", 0, 100),
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-Provisioned-GB-Second", 0, 100),
          aFunctionLine("payments-api", { team: "payments" }, "Lambda-Provisioned-Concurrency", 0, 1e9),
          aFunctionLine("orders-api", { team: "commerce" }, "Lambda-GB-Second-ARM", 0, 100),
        ],
      }),
      BY_TEAM,
      [pool],
    );
    expect(amountOf(day, "value:payments", DDB)).toBe(600);
    expect(amountOf(day, "value:commerce", DDB)).toBe(300);
  });

  it.each<[string, SplitRule, Partial<AllocationDayInput>]>([
    ["even with no tagged value that day", { method: "even" }, {}],
    ["by cost with no tagged value that day", { method: "proportional", basis: "cost" }, {}],
    ["by requests without per-function lines (beyond 14 days)", { method: "proportional", basis: "requests" }, { functions: null }],
    ["by GB-s when no tagged function ran", { method: "proportional", basis: "gb-seconds" }, { functions: [aFunctionLine("legacy-report-generator", {}, "Lambda-GB-Second", 5, 10)] }],
  ])("a rule with nothing to split by leaves the amount unallocated, with a note: %s", (_, rule, overrides) => {
    const day = allocateDay(aDay({ bill: [aBillLine(SQS, 777)], tagged: [aTaggedLine(SQS, "", 777)], ...overrides }), BY_TEAM, [aPool([SQS], rule, { name: "queues" })]);
    expect(day.rows).toEqual([{ bucket: { kind: "unallocated" }, service: SQS, source: "untagged", microUsd: 777 }]);
    expect(day.notes.some((n) => n.includes('"queues"') && n.includes(SQS))).toBe(true);
  });

  it("a pool of the grouped key wins over a \"*\" pool; pools of other keys do not apply", () => {
    const pools = [
      aPool([APIGW], { method: "fixed", percentages: { catalog: 100 } }, { name: "env-pool", tagKey: "env" }),
      aPool([APIGW], { method: "even" }, { name: "star", tagKey: "*" }),
      aPool([APIGW], { method: "fixed", percentages: { payments: 100 } }, { name: "team-pool", tagKey: "team" }),
    ];
    const day = allocateDay(aDay({ bill: directlyTagged, tagged: [...taggedDdb, aTaggedLine(APIGW, "", 1_000_001)] }), BY_TEAM, pools);
    expect(day.rows.filter((r) => r.source === "shared")).toEqual([{ bucket: { kind: "value", value: "payments" }, service: APIGW, source: "shared", pool: "team-pool", microUsd: 1_000_001 }]);
  });

  it("AWS Lambda is never shared, even if a pool lists it: an untagged function stays unallocated", () => {
    const day = allocateDay(
      aDay({ bill: [aBillLine(LAMBDA, 100), aBillLine(DDB, 100)], tagged: [aTaggedLine(LAMBDA, "", 100), aTaggedLine(DDB, "payments", 100)] }),
      BY_TEAM,
      [aPool([LAMBDA], { method: "even" }, { tagKey: "*" })],
    );
    expect(amountOf(day, "unallocated", LAMBDA, "untagged")).toBe(100);
    expect(day.notes.join(" ")).toContain("never shared");
  });
});

describe("allocateDay: idle provisioned concurrency", () => {
  it("is capped at what the function's bucket holds of AWS Lambda, with a note", () => {
    const idle: IdleCapacity = { functionName: "payments-api", tags: { team: "payments" }, provisionedMicroUsd: 10_000, utilisationRatio: 0, idleMicroUsd: 10_000 };
    const day = allocateDay(aDay({ bill: [aBillLine(LAMBDA, 3_000)], tagged: [aTaggedLine(LAMBDA, "payments", 3_000)], idle: [idle] }), BY_TEAM, []);
    expect(amountOf(day, "idle")).toBe(3_000);
    expect(amountOf(day, "value:payments")).toBe(0);
    expect(day.notes.join(" ")).toContain("payments-api");
  });

  it("an untagged function's idle PC comes out of unallocated", () => {
    const idle: IdleCapacity = { functionName: "legacy-report-generator", tags: {}, provisionedMicroUsd: 500, utilisationRatio: 0.2, idleMicroUsd: 400 };
    const day = allocateDay(
      aDay({ bill: [aBillLine(LAMBDA, 2_000)], tagged: [aTaggedLine(LAMBDA, "payments", 1_000), aTaggedLine(LAMBDA, "", 1_000)], idle: [idle] }),
      BY_TEAM,
      [],
    );
    expect(amountOf(day, "unallocated", LAMBDA)).toBe(600);
    expect(amountOf(day, "value:payments", LAMBDA)).toBe(1_000);
    expect(amountOf(day, "idle", LAMBDA, "idle")).toBe(400);
  });

  it("a bucket's Lambda cost no function line explains goes under (unattributed), with a note", () => {
    const day = allocateDay(
      aDay({
        bill: [aBillLine(LAMBDA, 1_000)],
        tagged: [aTaggedLine(LAMBDA, "payments", 700), aTaggedLine(LAMBDA, "catalog", 300)],
        functions: [aFunctionLine("payments-api", { team: "payments" }, "Request", 10)],
      }),
      BY_TEAM,
      [],
    );
    expect(functionAmount(day, "value:payments", "payments-api")).toBe(700);
    expect(functionAmount(day, "value:catalog", UNATTRIBUTED_FUNCTION)).toBe(300);
    expect(day.notes.some((n) => n.includes("value:catalog"))).toBe(true);
  });

  it("rejects an amount that is not whole µUSD, naming the field", () => {
    expect(() => allocateDay(aDay({ bill: [aBillLine(DDB, 1), aBillLine(DDB, 0.5)] }), BY_TEAM, [])).toThrow(/bill\[1\]\.microUsd/);
    expect(() => allocateDay(aDay({ bill: [aBillLine(DDB, 1)], tagged: [aTaggedLine(DDB, "a", Number.NaN)] }), BY_TEAM, [])).toThrow(/tagged\[0\]\.microUsd/);
  });
});

// ── Properties over random days ─────────────────────────────────────────────────────────

const SERVICES = [LAMBDA, APIGW, DDB, SQS, "Amazon EventBridge", "Amazon S3"] as const;
const VALUES = ["payments", "commerce", "catalog", "fulfilment", "identity"] as const;
const LAMBDA_USAGE_TYPES = [
  ["Request", "Requests"],
  ["USE2-Request-ARM", "Requests"],
  ["Lambda-GB-Second", "Lambda-GB-Second"],
  ["USE2-Lambda-GB-Second-ARM", "Lambda-GB-Second"],
  ["Lambda-Provisioned-GB-Second", "Lambda-GB-Second"],
  ["Lambda-Provisioned-Concurrency", "Lambda-GB-Second"],
] as const;

const amount = (signed: boolean) => (signed ? fc.integer({ min: -5_000_000, max: 50_000_000 }) : fc.nat({ max: 50_000_000 }));

const ruleArb: fc.Arbitrary<SplitRule> = fc.oneof(
  fc.constant<SplitRule>({ method: "even" }),
  fc.constantFrom<SplitRule>({ method: "proportional", basis: "cost" }, { method: "proportional", basis: "requests" }, { method: "proportional", basis: "gb-seconds" }),
  // Integer percentages summing to 100 over 1–4 values (some possibly absent that day).
  fc
    .uniqueArray(fc.constantFrom(...VALUES, "data-platform"), { minLength: 1, maxLength: 4 })
    .chain((values) =>
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: values.length, maxLength: values.length }).map((raw): SplitRule => {
        const total = raw.reduce((s, r) => s + r, 0);
        const percents = raw.map((r) => Math.floor((r * 100) / total));
        percents[0]! += 100 - percents.reduce((s, p) => s + p, 0);
        return { method: "fixed", percentages: Object.fromEntries(values.map((v, i) => [v, percents[i]!]).filter(([, p]) => (p as number) > 0)) };
      }),
    ),
);

const poolsArb: fc.Arbitrary<CostPool[]> = fc
  .array(fc.record({ services: fc.subarray([...SERVICES], { minLength: 1 }), rule: ruleArb, tagKey: fc.constantFrom("team", "*", "env") }), { maxLength: 3 })
  .map((pools) => pools.map((p, i) => ({ name: `pool-${i}`, ...p })));

interface DayCase {
  input: AllocationDayInput;
  groupBy: CostGroupBy;
  pools: CostPool[];
}

/** A random day: bill lines per service, tagged lines with noise against the bill (or unrelated), functions, idle, pools. */
function dayArb(signed: boolean): fc.Arbitrary<DayCase> {
  const functionArb = fc.record({
    name: fc.constantFrom("payments-api", "orders-api", "search-indexer", "legacy-report-generator", "users-api", "notifications-worker"),
    team: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
    lines: fc.array(fc.record({ usage: fc.constantFrom(...LAMBDA_USAGE_TYPES), microUsd: amount(signed), quantity: fc.double({ min: 0, max: 1e9, noNaN: true }) }), { minLength: 1, maxLength: 4 }),
    utilisation: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  });
  return fc
    .record({
      bill: fc.array(fc.record({ service: fc.constantFrom(...SERVICES), microUsd: amount(signed) }), { maxLength: 12 }),
      taggedNoise: fc.array(fc.record({ service: fc.constantFrom(...SERVICES), value: fc.constantFrom("", ...VALUES), share: fc.double({ min: 0, max: 1, noNaN: true }), noise: fc.integer({ min: -5, max: 5 }) }), {
        maxLength: 20,
      }),
      functions: fc.option(fc.uniqueArray(functionArb, { maxLength: 6, selector: (f) => f.name }), { nil: null }),
      groupBy: fc.constantFrom<CostGroupBy>(BY_TEAM, BY_TEAM, BY_SERVICE),
      pools: poolsArb,
    })
    .map(({ bill, taggedNoise, functions, groupBy, pools }) => {
      const billLines = bill.map((b, i) => aBillLine(b.service, b.microUsd, `Usage-${i}`));
      const billOf = (service: string) => billLines.filter((l) => l.service === service).reduce((s, l) => s + l.microUsd, 0);
      // Tagged lines: a share of the service's bill ± a few µUSD of rounding noise (or of no bill at all).
      const tagged = taggedNoise.map((t) => {
        const microUsd = Math.round(billOf(t.service) * t.share) + t.noise;
        return aTaggedLine(t.service, t.value, signed ? microUsd : Math.max(0, microUsd));
      });
      const functionLines = functions?.flatMap((f) => f.lines.map((l) => aFunctionLine(f.name, f.team === undefined ? {} : { team: f.team }, l.usage[0], l.microUsd, l.quantity, l.usage[1]))) ?? null;
      const idle = (functions ?? [])
        .filter((f) => f.utilisation !== undefined)
        .map((f) => {
          const pc = f.lines.filter((l) => l.usage[0] === "Lambda-Provisioned-Concurrency").reduce((s, l) => s + l.microUsd, 0);
          return idleCapacityOf({ functionName: f.name, tags: f.team === undefined ? {} : { team: f.team }, provisionedMicroUsd: pc, utilisationRatio: f.utilisation! });
        })
        .filter((i) => i.idleMicroUsd > 0);
      return { input: aDay({ bill: billLines, tagged, functions: functionLines, idle }), groupBy, pools };
    });
}

const lambdaOfBucket = (day: AllocatedDay, id: string) => amountOf(day, id, LAMBDA);

describe("allocateDay: properties over random days", () => {
  it("Σ rows === Σ bill exactly, whatever the tags, pools and idle say (credits included)", () => {
    fc.assert(
      fc.property(dayArb(true), ({ input, groupBy, pools }) => {
        const day = allocateDay(input, groupBy, pools);
        const bill = input.bill.reduce((s, l) => s + l.microUsd, 0);
        expect(day.billMicroUsd).toBe(bill);
        expect(sumRows(day)).toBe(bill);
        for (const r of day.rows) expect(Number.isSafeInteger(r.microUsd) && r.microUsd !== 0).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("per service, the rows add up to that service's bill", () => {
    fc.assert(
      fc.property(dayArb(true), ({ input, groupBy, pools }) => {
        const day = allocateDay(input, groupBy, pools);
        for (const service of new Set(input.bill.map((l) => l.service))) {
          const bill = input.bill.filter((l) => l.service === service).reduce((s, l) => s + l.microUsd, 0);
          expect(day.rows.filter((r) => r.service === service).reduce((s, r) => s + r.microUsd, 0)).toBe(bill);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("no negative row or function amount when every input is non-negative", () => {
    fc.assert(
      fc.property(dayArb(false), ({ input, groupBy, pools }) => {
        const day = allocateDay(input, groupBy, pools);
        for (const r of day.rows) expect(r.microUsd).toBeGreaterThan(0);
        for (const f of day.functions ?? []) expect(f.microUsd).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("untagged Lambda never lands in a value bucket: Lambda in values is only ever tagged, and without tagged Lambda lines none at all", () => {
    fc.assert(
      fc.property(dayArb(true), fc.boolean(), ({ input, pools }, dropLambdaTags) => {
        const dayInput = dropLambdaTags ? { ...input, tagged: input.tagged.filter((t) => t.service !== LAMBDA || t.tagValue === "") } : input;
        const day = allocateDay(dayInput, BY_TEAM, pools);
        const lambdaInValues = day.rows.filter((r) => r.service === LAMBDA && r.bucket.kind === "value");
        for (const r of lambdaInValues) expect(r.source).toBe("tagged");
        if (dropLambdaTags) expect(lambdaInValues).toEqual([]);
        expect(day.rows.some((r) => r.service === LAMBDA && r.source === "shared")).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("idle ≤ Σ idle claimed ≤ Σ PC charges; idle is only ever AWS Lambda", () => {
    fc.assert(
      fc.property(dayArb(false), ({ input, groupBy, pools }) => {
        const day = allocateDay(input, groupBy, pools);
        const idle = amountOf(day, "idle");
        const claimed = input.idle.reduce((s, i) => s + i.idleMicroUsd, 0);
        const pc = (input.functions ?? []).filter((f) => lambdaUsageKind(f.usageType, f.usageUnit) === "provisioned-concurrency").reduce((s, f) => s + f.microUsd, 0);
        expect(idle).toBeLessThanOrEqual(claimed);
        expect(claimed).toBeLessThanOrEqual(pc);
        for (const r of day.rows.filter((r) => r.bucket.kind === "idle")) expect([r.service, r.source]).toEqual([LAMBDA, "idle"]);
      }),
      { numRuns: 300 },
    );
  });

  it("each bucket's functions add up to its AWS Lambda amount exactly (idle included)", () => {
    fc.assert(
      fc.property(dayArb(true), ({ input, groupBy, pools }) => {
        const day = allocateDay(input, groupBy, pools);
        if (input.functions === null) {
          expect(day.functions).toBeNull();
          return;
        }
        const ids = new Set([...day.rows.filter((r) => r.service === LAMBDA).map((r) => bucketId(r.bucket)), ...day.functions!.map((f) => bucketId(f.bucket))]);
        for (const id of ids) {
          const functionsSum = day.functions!.filter((f) => bucketId(f.bucket) === id).reduce((s, f) => s + f.microUsd, 0);
          expect(functionsSum, id).toBe(lambdaOfBucket(day, id));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with tag grouping, untagged functions only ever appear under unallocated or idle", () => {
    fc.assert(
      fc.property(dayArb(false), ({ input, pools }) => {
        const day = allocateDay(input, BY_TEAM, pools);
        const untagged = new Set((input.functions ?? []).filter((f) => f.tags.team === undefined).map((f) => f.functionName));
        for (const f of day.functions ?? []) if (untagged.has(f.functionName)) expect(f.bucket.kind).not.toBe("value");
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic: the order of the input lines does not matter", () => {
    fc.assert(
      fc.property(dayArb(true), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), ({ input, groupBy, pools }, random) => {
        const shuffle = <T>(items: readonly T[]): T[] => items.map((item) => ({ item, key: random.next().value as number })).sort((a, b) => a.key - b.key).map((x) => x.item);
        const shuffled: AllocationDayInput = {
          ...input,
          bill: shuffle(input.bill),
          tagged: shuffle(input.tagged),
          functions: input.functions === null ? null : shuffle(input.functions),
          idle: shuffle(input.idle),
        };
        const a = allocateDay(input, groupBy, pools);
        const b = allocateDay(shuffled, groupBy, pools);
        expect(b.rows).toEqual(a.rows);
        expect(b.functions).toEqual(a.functions);
        expect([...b.notes].sort()).toEqual([...a.notes].sort());
      }),
      { numRuns: 200 },
    );
  });
});

// ── Sums over days ──────────────────────────────────────────────────────────────────────

describe("sums over allocated days", () => {
  const day1 = allocateDay(
    aDay({
      dayMs: DAY_MS,
      bill: [aBillLine(LAMBDA, 1_000), aBillLine(APIGW, 300)],
      tagged: [aTaggedLine(LAMBDA, "payments", 800), aTaggedLine(LAMBDA, "", 200), aTaggedLine(APIGW, "payments", 100), aTaggedLine(APIGW, "", 200)],
      functions: [aFunctionLine("payments-api", { team: "payments" }, "Request", 800), aFunctionLine("legacy-report-generator", {}, "Request", 200)],
    }),
    BY_TEAM,
    DEFAULT_COST_POOLS,
  );
  const day2 = allocateDay(
    aDay({ dayMs: DAY_MS + 86_400_000, bill: [aBillLine(LAMBDA, 500)], tagged: [aTaggedLine(LAMBDA, "commerce", 500)] }),
    BY_TEAM,
    DEFAULT_COST_POOLS,
  );
  const days = [day1, day2];

  it("totalsByBucket and sumAllocatedDays: per bucket, and allocated = bill", () => {
    expect(Object.fromEntries(totalsByBucket(days))).toEqual({ "value:payments": 1_100, unallocated: 200, "value:commerce": 500 });
    const sums = sumAllocatedDays(days);
    expect(sums.billMicroUsd).toBe(1_800);
    expect(sums.allocatedMicroUsd).toBe(1_800);
    expect(sums.bySource).toEqual({ tagged: 1_400, untagged: 200, shared: 200, idle: 0 });
    expect(totalsBySource(days)).toEqual(sums.bySource);
  });

  it("totalsByBucketService keeps a service tagged and shared apart; servicesOfBucket lists them largest first", () => {
    const payments = totalsByBucketService(days).get("value:payments")!;
    expect(payments.get(rowKey(APIGW, "shared", "shared-services"))).toEqual({ service: APIGW, source: "shared", pool: "shared-services", microUsd: 200 });
    expect(payments.get(rowKey(APIGW, "tagged"))).toEqual({ service: APIGW, source: "tagged", microUsd: 100 });
    expect(servicesOfBucket(days, "value:payments").map((s) => [s.service, s.source, s.microUsd])).toEqual([
      [LAMBDA, "tagged", 800],
      [APIGW, "shared", 200],
      [APIGW, "tagged", 100],
    ]);
    expect(servicesOfBucket(days, "idle")).toEqual([]);
  });

  it("dailyTotalsByBucket: one amount per day, 0 where the bucket had none", () => {
    expect(Object.fromEntries(dailyTotalsByBucket(days))).toEqual({ "value:payments": [1_100, 0], unallocated: [200, 0], "value:commerce": [0, 500] });
  });

  it("functionsOfBucket: the days with function lines, and the bucket's functions", () => {
    expect(functionsOfBucket(days, "unallocated")).toEqual({ byFunction: [{ functionName: "legacy-report-generator", usageType: "Request", microUsd: 200 }], functionDays: 1 });
  });
});
