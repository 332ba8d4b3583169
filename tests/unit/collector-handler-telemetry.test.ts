import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadCollectorConfig } from "@/lib/config/collector-config";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler, CollectorRunsFailedError } from "@/collectors/_runtime/collector-handler";
import { DEFAULT_CADENCE_SETTINGS } from "@/lib/domain/collection/collector-cadence";
import { collectorLagMinutes, lagAlarmThresholdMinutes } from "@/lib/domain/collection/collector-lag";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import { createCollectorTelemetry } from "@/collectors/_runtime/lambda-telemetry";
import { METRICS_NAMESPACE } from "@/infra/stacks/contracts";
import { InMemoryRunLedgerStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

/**
 * The Lambda handler's telemetry: the EMF line Powertools prints (what CloudWatch turns into
 * the metrics the alarms watch), published on success and on failure, and the secrets step
 * run once per execution environment before the runtime is built.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const MINUTE = 60_000;
const quiet = { info: () => {}, error: () => {} };

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

let printed: string[];
beforeEach(() => {
  printed = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function emfLines(): Emf[] {
  return printed.flatMap((line) => line.split("\n")).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Emf);
}

/** A runtime over in-memory stores with two accounts in one region. */
function fakeRuntime(watermarks = new InMemoryWatermarkStore(), env: Record<string, string> = {}): CollectorRuntime {
  const config = loadCollectorConfig({ TABLE_NAME: "sightline-test", AWS_REGION: "eu-west-1", ...env });
  return {
    config,
    log: quiet,
    watermarks,
    ledger: new InMemoryRunLedgerStore(),
    accounts: async () => [
      { accountId: "111111111111", roleArn: null },
      { accountId: "222222222222", roleArn: "arn:aws:iam::222222222222:role/SightlineReadOnly" },
    ],
    regions: () => ["eu-west-1"],
  } as unknown as CollectorRuntime;
}

/** A metrics-like collector: account 2 fails when `failMember`; account 1 moves its watermark to `throughMs`. */
function definition(options: { name?: CollectorName; failMember?: boolean; throughMs: (nowMs: number) => number }): CollectorDefinition {
  const name = options.name ?? "metrics";
  return {
    name,
    scope: "region",
    async collect(runtime, ctx) {
      if (options.failMember && ctx.accountId === "222222222222") throw new Error("AccessDenied: not authorized to perform sts:AssumeRole");
      await runtime.watermarks.advance(name, ctx.accountId, ctx.region, options.throughMs(ctx.nowMs));
      return { outcome: "collected", itemsWritten: 7, window: null };
    },
  };
}

describe("collector Lambda handler telemetry", () => {
  it("prints one EMF line per invocation in the Sightline namespace with the Collector dimension and every metric", async () => {
    const handler = collectorHandler(definition({ throughMs: (now) => now - 3 * MINUTE }), {
      createRuntime: () => fakeRuntime(),
      resolveSecrets: async () => [],
      telemetry: createCollectorTelemetry("metrics"),
      clock: () => NOW,
    });
    const runs = await handler({ time: new Date(NOW).toISOString() });
    expect(runs.map((r) => r.outcome)).toEqual(["collected", "collected"]);
    const [emf, ...more] = emfLines();
    expect(more).toEqual([]);
    const directive = emf!._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([["service", "Collector"]]);
    expect(directive.Metrics.map((m) => m.Name).sort()).toEqual(["ApiRequests", "ItemsWritten", "LagMinutes", "RunsFailed", "RunsSucceeded"]);
    // metrics trails by design 1 minute; 3 minutes behind is 2 beyond.
    expect(emf).toMatchObject({ Collector: "metrics", service: "sightline-collectors", RunsSucceeded: 2, RunsFailed: 0, ItemsWritten: 14, ApiRequests: 0, LagMinutes: 2 });
  });

  it("allows the SLO evaluator one metrics cadence of trail from the collectors' METRICS_CADENCE_MINUTES", async () => {
    // The SLO evaluator evaluated at a metrics watermark 7 minutes old: 2 beyond a 5-minute cadence, 6 beyond the default 1.
    const lagWith = async (env: Record<string, string>) => {
      printed = [];
      const handler = collectorHandler(definition({ name: "slos", throughMs: (now) => now - 7 * MINUTE }), {
        createRuntime: () => fakeRuntime(new InMemoryWatermarkStore(), env),
        resolveSecrets: async () => [],
        telemetry: createCollectorTelemetry("slos"),
        clock: () => NOW,
      });
      await handler({ time: new Date(NOW).toISOString() });
      return emfLines()[0]?.LagMinutes;
    };
    expect(await lagWith({ METRICS_CADENCE_MINUTES: "5" })).toBe(2);
    expect(await lagWith({})).toBe(6);
  });

  it("publishes before throwing CollectorRunsFailedError, and leaves the lag out when a scope never succeeded", async () => {
    const handler = collectorHandler(definition({ failMember: true, throughMs: (now) => now - MINUTE }), {
      createRuntime: () => fakeRuntime(),
      resolveSecrets: async () => [],
      telemetry: createCollectorTelemetry("metrics"),
      clock: () => NOW,
    });
    await expect(handler({ time: new Date(NOW).toISOString() })).rejects.toBeInstanceOf(CollectorRunsFailedError);
    const [emf] = emfLines();
    expect(emf).toMatchObject({ RunsSucceeded: 1, RunsFailed: 1, ItemsWritten: 7 });
    expect(emf).not.toHaveProperty("LagMinutes");
  });

  it("counts an invocation that fails before any run (a bad event) as one failed run", async () => {
    const handler = collectorHandler(definition({ throughMs: (now) => now }), {
      createRuntime: () => fakeRuntime(),
      resolveSecrets: async () => [],
      telemetry: createCollectorTelemetry("metrics"),
      clock: () => NOW,
    });
    await expect(handler({ time: "yesterday" })).rejects.toThrow(/invalid collector event: time/);
    expect(emfLines()[0]).toMatchObject({ RunsSucceeded: 0, RunsFailed: 1, ItemsWritten: 0, ApiRequests: 0 });
  });

  it("resolves secrets once per execution environment, before the runtime, and again after a failure", async () => {
    const order: string[] = [];
    let secretCalls = 0;
    const handler = collectorHandler(definition({ throughMs: (now) => now }), {
      createRuntime: () => {
        order.push("runtime");
        return fakeRuntime();
      },
      resolveSecrets: async () => {
        order.push("secrets");
        if (++secretCalls === 1) throw new Error("Secrets Manager unreachable");
        return ["SLO_WEBHOOKS"];
      },
      telemetry: createCollectorTelemetry("metrics"),
      clock: () => NOW,
    });
    await expect(handler({})).rejects.toThrow(/unreachable/);
    await handler({});
    await handler({});
    expect(order).toEqual(["secrets", "secrets", "runtime"]);
  });
});

describe("collector lag", () => {
  it.each([
    ["metrics, on time", "metrics", { throughMs: NOW - MINUTE, lastSuccessMs: NOW }, 0],
    ["metrics, 10 minutes behind", "metrics", { throughMs: NOW - 10 * MINUTE, lastSuccessMs: NOW }, 9],
    ["logs-insights within its hour + settle", "logs-insights", { throughMs: NOW - 65 * MINUTE, lastSuccessMs: NOW }, 0],
    ["logs-insights 2 hours behind", "logs-insights", { throughMs: NOW - 125 * MINUTE, lastSuccessMs: NOW }, 60],
    ["costs: the age of its last success", "costs", { throughMs: NOW - 20 * 24 * 60 * MINUTE, lastSuccessMs: NOW - 720 * MINUTE }, 720],
    ["nothing collected yet (skipped)", "analyze", { throughMs: null, lastSuccessMs: NOW }, 0],
    ["never succeeded", "inventory", { throughMs: null, lastSuccessMs: null }, null],
  ] as const)("%s", (_label, collector, watermark, expected) => {
    expect(collectorLagMinutes(collector, watermark, NOW, 5, DEFAULT_CADENCE_SETTINGS)).toBe(expected);
  });

  it.each([
    // Metrics reads up to the last complete minute at any cadence: right after a pass it trails 1 minute.
    ["metrics, on time", "metrics", NOW - MINUTE, 0],
    ["metrics, 6 minutes behind", "metrics", NOW - 6 * MINUTE, 5],
    // The SLO evaluator's metrics data may be one metrics cadence old.
    ["slos, one metrics cadence behind", "slos", NOW - 5 * MINUTE, 0],
    ["slos, 8 minutes behind", "slos", NOW - 8 * MINUTE, 3],
    ["inventory is unaffected", "inventory", NOW - 2 * MINUTE, 2],
  ] as const)("at METRICS_CADENCE_MINUTES=5: %s", (_label, collector, throughMs, expected) => {
    expect(collectorLagMinutes(collector, { throughMs, lastSuccessMs: NOW }, NOW, 5, { metricsCadenceMinutes: 5 })).toBe(expected);
  });

  it("alarms after the console's tolerance: three missed runs plus five minutes of slack", () => {
    expect(lagAlarmThresholdMinutes("metrics", DEFAULT_CADENCE_SETTINGS)).toBe(8);
    expect(lagAlarmThresholdMinutes("slos", DEFAULT_CADENCE_SETTINGS)).toBe(8);
    expect(lagAlarmThresholdMinutes("inventory", DEFAULT_CADENCE_SETTINGS)).toBe(20);
    expect(lagAlarmThresholdMinutes("costs", DEFAULT_CADENCE_SETTINGS)).toBe(1085);
  });

  it("alarms on metrics and slos after three missed runs of the configured cadence", () => {
    expect(lagAlarmThresholdMinutes("metrics", { metricsCadenceMinutes: 5 })).toBe(20);
    expect(lagAlarmThresholdMinutes("slos", { metricsCadenceMinutes: 15 })).toBe(50);
    expect(lagAlarmThresholdMinutes("inventory", { metricsCadenceMinutes: 15 })).toBe(20);
  });
});
