import { describe, expect, it } from "vitest";
import { sampledCount } from "@/infra/local/sim/model/invocation-ids";
import { MinuteSeriesCache, createSimModel, type MinuteSeries } from "@/infra/local/sim/model/minute-stats";
import { MINUTES_PER_DAY } from "@/infra/local/sim/model/time";
import { ScenarioSchema } from "@/infra/local/sim/scenario-schema";
import { PRICE_BOOK, unitPriceUsd } from "@/infra/local/sim/cost/price-book";
import { computeFunctionUsage, followTrees, type UsageLine } from "@/infra/local/sim/cost/usage";
import type { UsageKind } from "@/infra/local/sim/cost/usage-types";

/** Usage of one function-hour, derived from the model's minute series without enumerating invocations. */
const ANCHOR_DAY = Math.floor(Date.UTC(2026, 10, 20) / 86_400_000);
const HOUR = (ANCHOR_DAY - 1) * MINUTES_PER_DAY + 19 * 60; // yesterday 19:00 UTC, the evening peak

const scenario = ScenarioSchema.parse({
  version: 1,
  name: "cost-usage",
  seed: 11,
  historyDays: 3,
  account: { id: "111122223333", region: "us-east-1" },
  services: [
    {
      name: "shop",
      team: "commerce",
      api: { name: "shop-api" },
      functions: [
        {
          name: "checkout",
          runtime: "nodejs20.x",
          memoryMb: 1024,
          timeoutSeconds: 10,
          tracing: "Active",
          trigger: { type: "api", route: "POST /checkout" },
          traffic: { meanRatePerSecond: 20 },
          duration: { cpuMs: 40, ioMs: 40 },
          calls: [
            { service: "dynamodb", resource: "orders", operation: "write", perInvocation: 2 },
            { service: "dynamodb", resource: "orders", perInvocation: 1.5 },
            { service: "eventbridge", resource: "orders-bus", perInvocation: 1 },
            { service: "sqs", resource: "fulfilment", perInvocation: 0.5 },
            { service: "sns", resource: "receipts", perInvocation: 1 },
            { service: "http", resource: "api.example", perInvocation: 1 },
          ],
        },
        {
          name: "payments",
          runtime: "java21",
          architecture: "arm64",
          memoryMb: 2048,
          timeoutSeconds: 30,
          aliases: [{ name: "live", functionVersion: 3 }],
          provisionedConcurrency: [{ qualifier: "live", requestedExecutions: 5 }],
          traffic: { meanRatePerSecond: 4 },
          duration: { cpuMs: 60, ioMs: 100 },
        },
        {
          name: "search",
          runtime: "python3.12",
          memoryMb: 512,
          timeoutSeconds: 10,
          reservedConcurrency: 2,
          trigger: { type: "api", route: "GET /search" },
          traffic: { meanRatePerSecond: 40 },
          duration: { cpuMs: 150, ioMs: 100 },
        },
      ],
    },
  ],
  functions: [
    { name: "nightly", runtime: "nodejs20.x", memoryMb: 256, timeoutSeconds: 60, traffic: { meanRatePerSecond: 0.5 }, duration: { cpuMs: 50, ioMs: 10 } },
  ],
});
const model = createSimModel(scenario, { anchorDay: ANCHOR_DAY });
const cache = new MinuteSeriesCache(model, HOUR, 60);
const us = PRICE_BOOK["us-east-1"]!;

function usageOf(name: string): { series: MinuteSeries; lines: UsageLine[] } {
  const series = cache.series(name)!;
  return { series, lines: computeFunctionUsage(model, series) };
}

function quantity(lines: readonly UsageLine[], kind: UsageKind): number {
  return lines.filter((line) => line.kind === kind).reduce((sum, line) => sum + line.quantityByHour.reduce((a, b) => a + b, 0), 0);
}

const total = (column: Float64Array) => column.reduce((a, b) => a + b, 0);

describe("Lambda usage of one function-hour", () => {
  it("requests are the hour's invocations, billed at $0.20 per million", () => {
    const { series, lines } = usageOf("checkout");
    const invocations = total(series.invocations);
    expect(invocations).toBeGreaterThan(50_000); // ~20/s at the evening peak
    expect(quantity(lines, "lambda-request")).toBe(invocations);
    expect(quantity(lines, "lambda-request") * unitPriceUsd(us, "lambda-request", "x86_64")).toBeCloseTo((invocations / 1e6) * 0.2, 12);
  });

  it("throttled requests are not billed by Lambda but are by API Gateway, at $3.50 per million", () => {
    const { series, lines } = usageOf("search");
    const throttles = total(series.throttles);
    expect(throttles).toBeGreaterThan(0); // 40/s × 250 ms needs ~10 executions; 2 are reserved
    expect(quantity(lines, "lambda-request")).toBe(total(series.invocations));
    expect(quantity(lines, "apigateway-request")).toBe(total(series.invocations) + throttles);
    expect(quantity(lines, "apigateway-request") * us.apiGatewayRestRequestUsd).toBeCloseTo(((total(series.invocations) + throttles) / 1e6) * 3.5, 10);
  });

  it("on-demand GB-s: each invocation's mean duration + 0.5 ms (per-ms ceiling) plus INIT on cold starts, × memory", () => {
    const { series, lines } = usageOf("checkout");
    let durationMs = 0;
    let initMs = 0;
    for (let i = 0; i < series.length; i++) {
      durationMs += series.invocations[i]! * (series.durationAverageMs[i]! + 0.5);
      // Lognormal INIT: mean = exp(μ + σ²/2).
      initMs += series.coldStarts[i]! * Math.exp(series.initLogMedian[i]! + series.fn.initSigma ** 2 / 2);
    }
    const expectedGbSeconds = ((durationMs + initMs) / 1000) * (1024 / 1024);
    expect(quantity(lines, "lambda-duration")).toBeCloseTo(expectedGbSeconds, 6);
    // Sanity against the scenario: a median of 80 ms at 1 GB is ≈ 0.1 GB-s per invocation.
    expect(quantity(lines, "lambda-duration") / total(series.invocations)).toBeGreaterThan(0.06);
    expect(quantity(lines, "lambda-duration") / total(series.invocations)).toBeLessThan(0.2);
  });

  it("provisioned concurrency: 5 executions × 2 GB × 3,600 s = 36,000 GB-s an hour, used or not, at the arm64 price", () => {
    const { series, lines } = usageOf("payments");
    expect(quantity(lines, "lambda-provisioned-concurrency")).toBeCloseTo(36_000, 9);
    // $0.0000033334 per GB-s (arm64) → $0.1200024 per hour.
    expect(quantity(lines, "lambda-provisioned-concurrency") * unitPriceUsd(us, "lambda-provisioned-concurrency", "arm64")).toBeCloseTo(0.1200024, 9);
    // ~4/s × ~0.2 s needs ~1 execution: provisioned environments serve (almost) everything.
    const provisioned = total(series.provisionedInvocations);
    expect(provisioned).toBeGreaterThan(0.95 * total(series.invocations));
    let provisionedMs = 0;
    for (let i = 0; i < series.length; i++) provisionedMs += series.provisionedInvocations[i]! * (series.durationAverageMs[i]! + 0.5);
    expect(quantity(lines, "lambda-provisioned-duration")).toBeCloseTo((provisionedMs / 1000) * 2, 6);
    expect(lines.filter((line) => line.kind.startsWith("lambda-")).every((line) => line.architecture === "arm64")).toBe(true);
  });
});

describe("other services follow the call graph", () => {
  const { series, lines } = usageOf("checkout");
  const invocations = total(series.invocations);

  it("DynamoDB request units: calls × perInvocation (a call without an operation is a read)", () => {
    expect(quantity(lines, "dynamodb-write")).toBeCloseTo(2 * invocations, -1);
    expect(quantity(lines, "dynamodb-read")).toBeCloseTo(1.5 * invocations, -1);
    expect(lines.find((line) => line.kind === "dynamodb-write")?.resourceId).toBe("arn:aws:dynamodb:us-east-1:111122223333:table/orders");
  });

  it("EventBridge events, SNS publishes, and SQS at 3 requests per message (send, receive, delete)", () => {
    expect(quantity(lines, "eventbridge-event")).toBe(invocations);
    expect(quantity(lines, "sns-request")).toBe(invocations);
    expect(quantity(lines, "sqs-request") / 3).toBeCloseTo(0.5 * invocations, -1);
    expect(quantity(lines, "sqs-request") % 3).toBe(0);
  });

  it("CloudWatch Logs: START + END + REPORT lines (≈ 0.36 KB, 0.46 KB with X-Ray fields) per invocation, in GB", () => {
    const bytesPerInvocation = series.fn.tracingMode === "Active" ? 460 : 360;
    expect(quantity(lines, "logs-ingestion")).toBeCloseTo((invocations * bytesPerInvocation) / 1024 ** 3, 12);
  });

  it("X-Ray: the traces sampled (reservoir 1/s then 5 %), none for an untraced function", () => {
    let sampled = 0;
    for (let i = 0; i < series.length; i++) sampled += sampledCount(model, series.fn, series.fromMinute + i, series.invocations[i]!);
    expect(quantity(lines, "xray-trace")).toBe(sampled);
    // 60 reservoir traces a minute plus 5 % of the rest.
    expect(sampled).toBeGreaterThan(3600 + 0.04 * (invocations - 3600));
    expect(sampled).toBeLessThan(3600 + 0.06 * invocations);
    expect(quantity(usageOf("payments").lines, "xray-trace")).toBe(0);
  });

  it("plain HTTP calls bill nothing; the API stage is the API Gateway resource", () => {
    expect(new Set(lines.map((line) => line.kind))).toEqual(
      new Set(["lambda-request", "lambda-duration", "apigateway-request", "dynamodb-write", "dynamodb-read", "eventbridge-event", "sqs-request", "sns-request", "logs-ingestion", "xray-trace"]),
    );
    expect(lines.find((line) => line.kind === "apigateway-request")?.resourceId).toMatch(/^arn:aws:apigateway:us-east-1::\/restapis\/[a-z0-9]{10}\/stages\/prod$/);
    expect(lines.find((line) => line.kind === "lambda-request")?.resourceId).toBe("arn:aws:lambda:us-east-1:111122223333:function:checkout");
  });
});

describe("edges", () => {
  it("before the history start nothing is billed, not even provisioned concurrency", () => {
    const before = new MinuteSeriesCache(model, model.fleet.historyStartMinute - 120, 120).series("payments")!;
    expect(computeFunctionUsage(model, before)).toEqual([]);
  });

  it("hour bins: a 90-minute series yields two hours whose sum is the whole", () => {
    const series = new MinuteSeriesCache(model, HOUR, 90).series("nightly")!;
    const requests = computeFunctionUsage(model, series).find((line) => line.kind === "lambda-request")!;
    expect(requests.quantityByHour).toHaveLength(2);
    expect(requests.quantityByHour[0]).toBe(total(series.invocations.subarray(0, 60)));
    expect(requests.quantityByHour[1]).toBe(total(series.invocations.subarray(60, 90)));
  });

  it("follow trees group each follower with its upstream", () => {
    const chained = ScenarioSchema.parse({
      version: 1,
      name: "chain",
      account: { id: "111122223333", region: "us-east-1" },
      functions: [
        { name: "a", runtime: "nodejs20.x", memoryMb: 128, timeoutSeconds: 3, traffic: { meanRatePerSecond: 1 }, duration: { cpuMs: 1, ioMs: 1 } },
        { name: "c", runtime: "nodejs20.x", memoryMb: 128, timeoutSeconds: 3, traffic: { follows: "b" }, duration: { cpuMs: 1, ioMs: 1 } },
        { name: "b", runtime: "nodejs20.x", memoryMb: 128, timeoutSeconds: 3, traffic: { follows: "a" }, duration: { cpuMs: 1, ioMs: 1 } },
        { name: "d", runtime: "nodejs20.x", memoryMb: 128, timeoutSeconds: 3, traffic: { meanRatePerSecond: 1 }, duration: { cpuMs: 1, ioMs: 1 } },
      ],
    });
    const { fleet } = createSimModel(chained, { anchorDay: ANCHOR_DAY });
    expect(followTrees(fleet.functions, fleet.byName).map((tree) => tree.map((fn) => fn.name))).toEqual([["a", "c", "b"], ["d"]]);
  });
});
