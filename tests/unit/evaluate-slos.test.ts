import { beforeEach, describe, expect, it } from "vitest";
import type { AlertNotificationEvent } from "@/lib/domain/slo/alert-lifecycle";
import type { MetricBucket } from "@/lib/domain/metrics/lambda-metrics";
import type { ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import { DAY_MS, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import type { AlertNotifier } from "@/lib/ports/alert-notifier";
import { evaluateSlos, type EvaluateSlosDeps } from "@/lib/use-cases/evaluate-slos";
import { aFunction } from "@/tests/builders/function-config";
import { aCollectorContext } from "@/tests/builders/collector-context";
import { aNode, traffic } from "@/tests/builders/service-graph";
import { anSlo } from "@/tests/builders/slo";
import { InMemorySloStore } from "@/tests/fakes/in-memory-slo-store";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

const SCOPE = { accountId: "123456789012", region: "us-east-1" };
/** The data end of the tests: a whole minute, 40 minutes into an hour. */
const T = Date.UTC(2026, 10, 26, 12, 40);
const CALLS_PER_MINUTE = 1000;

/** Per-minute counts of payments-api: `errorsAt(minuteStartMs)` errors of 1,000 calls. */
type ErrorsAt = (minuteStartMs: number) => number;

/** Stores minute data for the last 8 hours up to `throughMs` and hourly data for the 4 days before, as the metrics collector would. */
async function storeMetrics(series: InMemorySeriesStore, throughMs: number, errorsAt: ErrorsAt, extra: { p99At?: (ms: number) => number } = {}) {
  const buckets: MetricBucket[] = [];
  const target = { kind: "function" as const, functionName: "payments-api" };
  const minuteFrom = Math.floor((throughMs - 8 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  for (let hour = minuteFrom; hour < throughMs; hour += HOUR_MS) {
    const slots = Array.from({ length: 60 }, (_, i) => hour + i * MINUTE_MS);
    const known = (ms: number) => ms < throughMs;
    buckets.push({
      ...SCOPE,
      target,
      resolution: "minute",
      startMs: hour,
      values: {
        "Invocations:Sum": slots.map((ms) => (known(ms) ? CALLS_PER_MINUTE : null)),
        "Errors:Sum": slots.map((ms) => (known(ms) ? errorsAt(ms) : null)),
        "Throttles:Sum": slots.map((ms) => (known(ms) ? 0 : null)),
        "Duration:p99": slots.map((ms) => (known(ms) ? (extra.p99At?.(ms) ?? 100) : null)),
      },
    });
  }
  const dayFrom = Math.floor((throughMs - 4 * DAY_MS) / DAY_MS) * DAY_MS;
  for (let day = dayFrom; day < throughMs; day += DAY_MS) {
    const hours = Array.from({ length: 24 }, (_, i) => day + i * HOUR_MS);
    const settled = (ms: number) => ms + HOUR_MS <= minuteFrom;
    const errorsOfHour = (ms: number) => Array.from({ length: 60 }, (_, i) => errorsAt(ms + i * MINUTE_MS)).reduce((a, b) => a + b, 0);
    buckets.push({
      ...SCOPE,
      target,
      resolution: "hour",
      startMs: day,
      values: {
        "Invocations:Sum": hours.map((ms) => (settled(ms) ? 60 * CALLS_PER_MINUTE : null)),
        "Errors:Sum": hours.map((ms) => (settled(ms) ? errorsOfHour(ms) : null)),
        "Throttles:Sum": hours.map((ms) => (settled(ms) ? 0 : null)),
        "Duration:p99": hours.map((ms) => (settled(ms) ? (extra.p99At?.(ms) ?? 100) : null)),
      },
    });
  }
  await series.writeBuckets(buckets);
}

class RecordingNotifier implements AlertNotifier {
  readonly channelCount = 1;
  readonly sent: AlertNotificationEvent[] = [];
  failing = false;
  async deliver(event: AlertNotificationEvent) {
    if (this.failing) return { delivered: false, error: "503 from the receiver" };
    this.sent.push(event);
    return { delivered: true, error: null };
  }
}

class FakeGraphs {
  readonly snapshots: ServiceGraphSnapshot[] = [];
  async readSnapshots(_scope: unknown, window: TimeWindow) {
    return this.snapshots.filter((s) => s.window.toMs > window.fromMs && s.window.fromMs < window.toMs);
  }
}

let slos: InMemorySloStore;
let series: InMemorySeriesStore;
let watermarks: InMemoryWatermarkStore;
let functions: InMemoryFunctionStore;
let notifier: RecordingNotifier;
let graphs: FakeGraphs;
let deps: EvaluateSlosDeps;

/** Runs the evaluator with the metrics watermark at `throughMs`. */
async function evaluateAt(throughMs: number) {
  await watermarks.advance("metrics", SCOPE.accountId, SCOPE.region, throughMs, throughMs - 4 * DAY_MS);
  const warnings: string[] = [];
  const result = await evaluateSlos(deps, aCollectorContext({ collector: "slos", ...SCOPE, nowMs: throughMs + 30_000, warn: (m: string) => warnings.push(m) }));
  return { result, warnings };
}

async function define(overrides: Partial<SloSpec> = {}) {
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, updatedBy: _b, ...spec } = anSlo(overrides);
  return slos.create(spec, "test", T - DAY_MS);
}

beforeEach(async () => {
  slos = new InMemorySloStore();
  series = new InMemorySeriesStore();
  watermarks = new InMemoryWatermarkStore();
  functions = new InMemoryFunctionStore();
  notifier = new RecordingNotifier();
  graphs = new FakeGraphs();
  await functions.putFunctions([aFunction({ ...SCOPE, functionName: "payments-api", tags: { service: "payments" } })]);
  deps = { slos, functions, series, graphs, watermarks, notifier, minuteHistoryMs: DAY_MS, settleMs: 5 * MINUTE_MS };
});

describe("evaluateSlos: steady traffic", () => {
  it("spends budget at the error ratio over the objective's budget, and alerts nobody", async () => {
    // 1 error in 2,000 calls = 0.05 %: half of a 99.9 % budget, burn rate 0.5, everywhere.
    await storeMetrics(series, T, (ms) => (Math.floor(ms / MINUTE_MS) % 2 === 0 ? 1 : 0));
    await define();
    const { result } = await evaluateAt(T);
    expect(result.outcome).toBe("collected");
    const status = (await slos.getStatus("payments-availability"))!;
    expect(status.level).toBe("ok");
    expect(status.throughMs).toBe(T);
    expect(status.budgetRemainingRatio!).toBeCloseTo(0.5, 2);
    expect(status.currentBurnRate!).toBeCloseTo(0.5, 2);
    expect(status.rules.map((r) => [r.burnRateThreshold, r.firing])).toEqual([
      [14.4, false],
      [6, false],
      [3, false],
      [1, false],
    ]);
    expect(notifier.sent).toEqual([]);
    // The ledger holds the complete hours, written as whole days.
    const state = (await slos.getLedgerState("payments-availability"))!;
    expect(state.throughMs).toBe(Date.UTC(2026, 10, 26, 12));
    expect(slos.ledgerWrites).toBeGreaterThan(0);
  });

  it("rewrites no ledger day when no new hour has completed", async () => {
    await storeMetrics(series, T, () => 0);
    await define();
    await evaluateAt(T);
    const writes = slos.ledgerWrites;
    await storeMetrics(series, T + MINUTE_MS, () => 0);
    await evaluateAt(T + MINUTE_MS);
    expect(slos.ledgerWrites).toBe(writes);
  });
});

describe("evaluateSlos: an error burst", () => {
  const burstFrom = T - 15 * MINUTE_MS;
  const burst = (end: number): ErrorsAt => (ms) => (ms >= burstFrom && ms < end ? 100 : 0);

  it("pages when the 1 h and 5 min windows both burn past 14.4, and notifies once however often it is evaluated", async () => {
    // Last 15 minutes at 10 %: 1 h ratio 15 × 10 % / 60 = 2.5 % → burn 25 ≥ 14.4; 5 min burn 100.
    await storeMetrics(series, T, burst(T));
    await define();
    await evaluateAt(T);
    const status = (await slos.getStatus("payments-availability"))!;
    expect(status.level).toBe("page");
    const page1h = status.rules.find((r) => r.longWindowMs === HOUR_MS)!;
    expect(page1h.longBurnRate!).toBeCloseTo(25, 1);
    expect(page1h.shortBurnRate!).toBeCloseTo(100, 1);
    expect(notifier.sent.map((e) => [e.kind, e.severity])).toEqual([["firing", "page"]]);
    await evaluateAt(T);
    await storeMetrics(series, T + MINUTE_MS, burst(T + MINUTE_MS));
    await evaluateAt(T + MINUTE_MS);
    expect(notifier.sent.map((e) => [e.kind, e.severity])).toEqual([["firing", "page"]]);
    const [episode] = await slos.listAlerts("payments-availability", 0);
    expect(episode).toMatchObject({ severity: "page", status: "firing", startedAtMs: T, endedAtMs: null });
    expect(episode!.notifiedAtMs).not.toBeNull();
  });

  it("resolves the page once the short window is clean, with a resolve message", async () => {
    await storeMetrics(series, T, burst(T));
    await define();
    await evaluateAt(T);
    // Ten clean minutes later the 5-minute window is back to 0; the 6 h window burns 15 × 10 % / 360 / 0.1 % ≈ 4.2 < 6.
    const later = T + 10 * MINUTE_MS;
    await storeMetrics(series, later, burst(T));
    await evaluateAt(later);
    expect((await slos.getStatus("payments-availability"))!.level).not.toBe("page");
    expect(notifier.sent.map((e) => [e.kind, e.severity])).toEqual([
      ["firing", "page"],
      ["resolved", "page"],
    ]);
    const [episode] = await slos.listAlerts("payments-availability", 0);
    expect(episode).toMatchObject({ status: "resolved", startedAtMs: T, endedAtMs: later });
  });

  it("keeps an undelivered page and sends it on the next run, with a warning meanwhile", async () => {
    await storeMetrics(series, T, burst(T));
    await define();
    notifier.failing = true;
    const first = await evaluateAt(T);
    expect(first.warnings.join("\n")).toMatch(/page firing notification not delivered \(503 from the receiver\)/);
    expect((await slos.listAlerts("payments-availability", 0))[0]!.notifiedAtMs).toBeNull();
    notifier.failing = false;
    await storeMetrics(series, T + MINUTE_MS, burst(T + MINUTE_MS));
    await evaluateAt(T + MINUTE_MS);
    expect(notifier.sent.map((e) => [e.kind, e.severity, e.startedAtMs])).toEqual([["firing", "page", T]]);
  });

  it("with alerting switched off shows the burn but does not page", async () => {
    await storeMetrics(series, T, burst(T));
    await define({ alerting: { enabled: false, minEvents: 100 } });
    await evaluateAt(T);
    const status = (await slos.getStatus("payments-availability"))!;
    expect(status.level).toBe("ok");
    expect(status.currentBurnRate!).toBeGreaterThan(14.4);
    expect(notifier.sent).toEqual([]);
  });
});

describe("evaluateSlos: what cannot be evaluated", () => {
  it("says when the target function is not in the inventory", async () => {
    await storeMetrics(series, T, () => 0);
    await define({ target: { kind: "function", functionName: "gone-api" } });
    await evaluateAt(T);
    expect((await slos.getStatus("payments-availability"))!.problem).toBe("function gone-api is not in the inventory of 123456789012 us-east-1");
  });

  it("says when no metrics were collected for the account yet", async () => {
    await define();
    await evaluateSlos(deps, aCollectorContext({ collector: "slos", ...SCOPE, nowMs: T }));
    expect((await slos.getStatus("payments-availability"))!.problem).toMatch(/no metrics collected yet/);
  });

  it("is up to date in an account/region without SLOs, its watermark following the metrics", async () => {
    const { result } = await evaluateAt(T);
    expect(result).toMatchObject({ outcome: "up-to-date", note: "no SLOs defined", itemsWritten: 0 });
    expect((await watermarks.get("slos", SCOPE.accountId, SCOPE.region))?.throughMs).toBe(T);
  });
});

describe("evaluateSlos: other indicators", () => {
  it("period-based latency counts minutes whose p99 misses the threshold as bad", async () => {
    // In the last hour, every 4th minute has p99 = 900 ms against a 500 ms threshold: 15 of 60 bad.
    const slow = (ms: number) => ms >= T - HOUR_MS && Math.floor(ms / MINUTE_MS) % 4 === 0;
    await storeMetrics(series, T, () => 0, { p99At: (ms) => (slow(ms) ? 900 : 200) });
    await define({ id: "payments-latency", indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 500 }, objective: 0.99 });
    await evaluateAt(T);
    const status = (await slos.getStatus("payments-latency"))!;
    const page1h = status.rules.find((r) => r.longWindowMs === HOUR_MS)!;
    // 15 bad of 60 minutes = 25 % against a 1 % budget: burn 25.
    expect(page1h.longTotal).toBeCloseTo(60, 6);
    expect(page1h.longBurnRate!).toBeCloseTo(25, 6);
    // An hour holds 60 minutes at most: the default guard of 100 events is capped at 30 for
    // timeslices, so the 1 h page can fire (the last 5 minutes hold one or two slow ones: ≥ 20×).
    expect(status.minEvents).toBe(30);
    expect(page1h.firing).toBe(true);
    expect(status.level).toBe("page");
  });

  it("X-Ray availability reads the function node's hourly snapshots, the current hour's partial one included", async () => {
    await storeMetrics(series, T, () => 0);
    await watermarks.advance("traces", SCOPE.accountId, SCOPE.region, Date.UTC(2026, 10, 26, 12));
    const hour = (fromMs: number, toMs: number, ok: number, fault: number): ServiceGraphSnapshot => ({
      ...SCOPE,
      window: { fromMs, toMs },
      complete: toMs - fromMs === HOUR_MS,
      nodes: [aNode("AWS::Lambda::Function", "payments-api", traffic({ ok, fault }))],
    });
    for (let h = T - 4 * DAY_MS; h < Date.UTC(2026, 10, 26, 12); h += HOUR_MS) graphs.snapshots.push(hour(Math.floor(h / HOUR_MS) * HOUR_MS, Math.floor(h / HOUR_MS) * HOUR_MS + HOUR_MS, 1000, 0));
    // The current hour so far (40 minutes): 4 % faults.
    graphs.snapshots.push(hour(Date.UTC(2026, 10, 26, 12), T, 960, 40));
    await define({ id: "payments-xray", indicator: { kind: "availability", source: "xray" } });
    await evaluateAt(T);
    const status = (await slos.getStatus("payments-xray"))!;
    const page1h = status.rules.find((r) => r.longWindowMs === HOUR_MS)!;
    // The last hour: 20 min of the clean 11:00 hour (≈ 333 requests) and the partial hour's 1,000 with 40 faults.
    expect(page1h.longTotal).toBeCloseTo(1000 / 3 + 1000, 6);
    expect(page1h.longBurnRate!).toBeCloseTo(40 / (1000 / 3 + 1000) / 0.001, 6);
  });

  it("starts a new ledger when the SLI changes (a new threshold), keeping nothing of the old one", async () => {
    await storeMetrics(series, T, () => 0, { p99At: () => 300 });
    const created = await define({ id: "payments-latency", indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 500 }, objective: 0.99 });
    await evaluateAt(T);
    expect((await slos.getStatus("payments-latency"))!.budgetRemainingRatio).toBeCloseTo(1, 6);
    const { version: _v, createdAtMs: _c, updatedAtMs: _u, updatedBy: _b, ...spec } = created;
    await slos.update({ ...spec, indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 250 } }, 1, "test", T);
    await evaluateAt(T);
    const status = (await slos.getStatus("payments-latency"))!;
    // Every minute (300 ms) now misses 250 ms: the whole period is bad.
    expect(status.sliRatio).toBe(0);
    expect(status.sloVersion).toBe(2);
    expect((await slos.getLedgerState("payments-latency"))!.sliKey).toContain("250");
  });
});

describe("evaluateSlos: many SLOs at once", () => {
  it("notifies and warns in SLO order, whatever order their evaluations finish in", async () => {
    await storeMetrics(series, T, (ms) => (ms >= T - 15 * MINUTE_MS ? 100 : 0));
    const ids = Array.from({ length: 12 }, (_, i) => `payments-${String(i).padStart(2, "0")}`);
    for (const id of ids) await define({ id });
    // Later SLOs read their ledger state sooner, so they finish first unless the evaluator orders them; one fails.
    const getLedgerState = slos.getLedgerState.bind(slos);
    slos.getLedgerState = async (id: string) => {
      const i = ids.indexOf(id);
      await new Promise((resolve) => setTimeout(resolve, (ids.length - i) * 3));
      if (i === 4) throw new Error("the table is unreachable");
      return getLedgerState(id);
    };
    const delivered: string[] = [];
    deps.notifier = {
      channelCount: 1,
      async deliver(_event, slo) {
        if (ids.indexOf(slo.id) % 2 === 1) return { delivered: false, error: "503 from the receiver" };
        delivered.push(slo.id);
        return { delivered: true, error: null };
      },
    };
    const { result, warnings } = await evaluateAt(T);
    expect(result.outcome).toBe("partial");
    expect(delivered).toEqual(ids.filter((_, i) => i % 2 === 0 && i !== 4));
    expect(warnings).toEqual(
      ids.map((id, i) => (i === 4 ? `SLO ${id}: Error: the table is unreachable` : i % 2 === 1 ? `SLO ${id}: page firing notification not delivered (503 from the receiver); it is retried on the next run` : null)).filter((w) => w !== null),
    );
    expect(result.note).toBe("12 SLOs: 11 paging, 0 ticket");
  });
});
