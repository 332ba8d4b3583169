import { describe, expect, it } from "vitest";
import { assessDataSufficiency, MIN_INVOCATIONS } from "@/lib/domain/analysis/data-sufficiency";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { coldStartBadShare } from "@/lib/domain/sizing/slo-cold-start-share";
import { DEFAULT_SIZING_SETTINGS } from "@/lib/domain/sizing/tuning-types";
import type { SloDefinition } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { analyzeFleet, indexFleet, readSizingInput } from "@/lib/use-cases/analyze-fleet";
import { functionsOfSlo } from "@/lib/use-cases/read-sli";
import { aCollectorContext } from "@/tests/builders/collector-context";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";
import { anSlo, aSloStatus } from "@/tests/builders/slo";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";
import { InMemorySloStore } from "@/tests/fakes/in-memory-slo-store";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 26, 12, 20);
const hourly = (hours: number, perHour: number) => Array.from({ length: hours }, (_, i) => ({ timestampMs: NOW - (i + 1) * HOUR, value: perHour }));

describe("assessDataSufficiency (Compute Optimizer's bar: ≥ 50 invocations in 14 days, FACTS.md §5)", () => {
  it.each([
    { name: "busy", points: hourly(48, 100), kind: "enough" },
    { name: "49 invocations in 49 hours", points: hourly(49, 1), kind: "insufficient-data" },
    { name: "50 invocations in 24 hours", points: hourly(24, 1).concat(hourly(1, 26).map((p) => ({ ...p, timestampMs: p.timestampMs - 100 * HOUR }))), kind: "enough" },
    { name: "plenty, but in 3 hours", points: hourly(3, 1000), kind: "insufficient-data" },
    { name: "no traffic", points: [], kind: "insufficient-data" },
  ])("$name → $kind", ({ points, kind }) => {
    const result = assessDataSufficiency(points);
    expect(result.kind).toBe(kind);
    if (result.kind === "insufficient-data") expect(result.reason).toMatch(/needs/);
  });

  it("says how far a function falls short", () => {
    expect(assessDataSufficiency(hourly(10, 2))).toEqual({ kind: "insufficient-data", invocations: 20, hoursWithTraffic: 10, reason: `20 invocations in 14 days (needs ${MIN_INVOCATIONS})` });
  });
});

class InMemoryAnalysisStore implements AnalysisStore {
  readonly items = new Map<string, FunctionAnalysis>();
  async replaceAll(accountId: string, region: string, analyses: readonly FunctionAnalysis[]) {
    for (const [k, a] of this.items) if (a.accountId === accountId && a.region === region) this.items.delete(k);
    for (const a of analyses) this.items.set(a.functionName, a);
    return analyses.length;
  }
  async list(accountId: string, region: string) {
    return [...this.items.values()].filter((a) => a.accountId === accountId && a.region === region);
  }
}

describe("analyzeFleet", () => {
  it("records per function whether the stored hourly invocations are enough, and drops functions that are gone", async () => {
    const functions = new InMemoryFunctionStore();
    const series = new InMemorySeriesStore();
    const analyses = new InMemoryAnalysisStore();
    const watermarks = new InMemoryWatermarkStore();
    await functions.putFunctions([aFunction({ functionName: "busy" }), aFunction({ functionName: "quiet" })]);
    const day = Math.floor((NOW - HOUR) / 86_400_000) * 86_400_000;
    await series.writeBuckets([
      { accountId: "123456789012", region: "us-east-1", target: { kind: "function", functionName: "busy" }, resolution: "hour", startMs: day, values: { "Invocations:Sum": Array.from({ length: 24 }, (_, h) => (h < 11 ? 500 : null)) } },
      { accountId: "123456789012", region: "us-east-1", target: { kind: "function", functionName: "quiet" }, resolution: "hour", startMs: day, values: { "Invocations:Sum": Array.from({ length: 24 }, (_, h) => (h < 3 ? 5 : null)) } },
    ]);
    await analyses.replaceAll("123456789012", "us-east-1", [{ accountId: "123456789012", region: "us-east-1", functionName: "deleted", asOfMs: 0, lookbackDays: 14, sufficiency: { kind: "enough", invocations: 1, hoursWithTraffic: 1 }, tuning: null }]);
    const ctx = aCollectorContext({ collector: "analyze", nowMs: NOW });
    const reportStats = { writeHours: async () => 0, readStats: async () => [] };
    const result = await analyzeFleet({ functions, series, analyses, watermarks, reportStats, slos: new InMemorySloStore() }, ctx);
    expect(result.note).toBe("0 of 2 functions have enough data; 0 tuning recommendations");
    const stored = await analyses.list("123456789012", "us-east-1");
    expect(stored.map((a) => a.functionName).sort()).toEqual(["busy", "quiet"]);
    // 11 hours of traffic are fewer than the 24 the profile needs; 15 invocations fewer than 50.
    expect(stored.find((a) => a.functionName === "busy")?.sufficiency).toMatchObject({ kind: "insufficient-data", invocations: 5500, hoursWithTraffic: 11 });
    expect(stored.find((a) => a.functionName === "quiet")?.sufficiency).toMatchObject({ kind: "insufficient-data", invocations: 15 });
    expect(stored.every((a) => a.asOfMs === Date.UTC(2026, 10, 26, 12))).toBe(true);
    // Without REPORT lines there is nothing to size from, and the tuning says so.
    expect(stored.find((a) => a.functionName === "busy")?.tuning).toMatchObject({ status: "insufficient-data", reason: expect.stringMatching(/no REPORT lines/) });
    expect((await watermarks.get("analyze", "123456789012", "us-east-1"))?.throughMs).toBe(Date.UTC(2026, 10, 26, 12));
  });
});

describe("readSizingInput with the fleet index built once (the analyze collector at 1,000 functions)", () => {
  /** A deterministic generated fleet: services of 1-6 functions, some reserved concurrency, a second region with the same names. */
  function generatedFleet(): { functions: FunctionConfig[]; slos: SloDefinition[]; statuses: SloStatus[] } {
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const functions: FunctionConfig[] = [];
    for (let s = 0; functions.length < 120; s++) {
      const size = 1 + Math.floor(next() * 6);
      for (let k = 0; k < size; k++) {
        const functionName = `svc-${s}-fn-${k}`;
        const reservedConcurrency = next() < 0.2 ? 5 + Math.floor(next() * 50) : null;
        functions.push(aFunction({ functionName, reservedConcurrency, tags: next() < 0.05 ? {} : { service: `svc-${s}`, team: `team-${s % 4}` } }));
        // The same name in another region: neither its reservation nor its SLOs are this region's.
        if (next() < 0.1) functions.push(aFunction({ functionName, region: "eu-west-1", reservedConcurrency: 100, tags: { service: `svc-${s}` } }));
      }
    }
    const latency = (id: string, target: SloDefinition["target"], thresholdMs: number, region = "us-east-1") =>
      anSlo({ id, region, target, indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs } });
    const slos: SloDefinition[] = [];
    for (let s = 0; s < 25; s++) {
      slos.push(anSlo({ id: `svc-${s}-availability`, target: { kind: "service", service: `svc-${s}` } }));
      slos.push(latency(`svc-${s}-latency`, { kind: "service", service: `svc-${s}` }, 200 + 40 * s));
      if (s % 3 === 0) slos.push(latency(`svc-${s}-fn-0-latency`, { kind: "function", functionName: `svc-${s}-fn-0` }, 150));
      if (s % 5 === 0) slos.push(latency(`svc-${s}-eu-latency`, { kind: "service", service: `svc-${s}` }, 300, "eu-west-1"));
    }
    const statuses = slos.filter((_, i) => i % 2 === 0).map((slo, i) => aSloStatus({ sloId: slo.id, budgetRemainingRatio: i % 7 === 0 ? null : 1 - i / 100 }));
    return { functions, slos, statuses };
  }

  it("gives every function the same reserved-by-others and latency SLOs as scanning the fleet per function", async () => {
    const fleet = generatedFleet();
    const scope = fleet.functions.filter((f) => f.region === "us-east-1");
    const window = { fromMs: NOW - 14 * 86_400_000, toMs: Math.floor(NOW / HOUR) * HOUR };
    const hoursOf = (fn: FunctionConfig) => Array.from({ length: 48 }, (_, i) => ({ timestampMs: window.toMs - (i + 1) * HOUR, value: fn.functionName.length * (i + 1) }));
    const series = {
      readSeries: async (_s: unknown, target: { functionName: string }) => {
        const fn = scope.find((f) => f.functionName === target.functionName)!;
        return { "Invocations:Sum": hoursOf(fn), "Duration:p50": hoursOf(fn).map((p) => ({ ...p, value: 80 })), "Duration:p99": hoursOf(fn).map((p) => ({ ...p, value: 150 + p.value })) };
      },
    };
    const reportStats = {
      readStats: async (fn: { functionName: string }) =>
        Array.from({ length: 48 }, (_, i) =>
          aReportStats({ functionName: fn.functionName, hourStartMs: window.toMs - (i + 1) * HOUR, invocations: 100, coldStarts: 1 + (i % 5), initDurationMs: { p50: 300, p90: 500, p99: 900, max: 1_200 } }),
        ),
    };
    const read = { window, account: null, functions: scope, slos: fleet.slos, statuses: fleet.statuses, settings: DEFAULT_SIZING_SETTINGS };
    const index = indexFleet(read);
    let withLatencySlos = 0;
    let withReservedOthers = 0;
    for (const fn of scope) {
      const input = await readSizingInput({ series: series as never, reportStats: reportStats as never }, fn, { ...read, index });
      // The straightforward computation, as it was before the index.
      const reservedByOthers = scope
        .filter((f) => f.accountId === fn.accountId && f.region === fn.region && f.functionName !== fn.functionName)
        .reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
      const latencySlos = fleet.slos
        .filter((slo) => slo.indicator.kind === "latency" && functionsOfSlo(slo, scope).some((f) => f.functionName === fn.functionName))
        .map((slo) => {
          const thresholdMs = slo.indicator.kind === "latency" ? slo.indicator.thresholdMs : 0;
          const remaining = fleet.statuses.find((s) => s.sloId === slo.id)?.budgetRemainingRatio ?? null;
          return {
            sloId: slo.id,
            name: slo.name,
            thresholdMs,
            objective: slo.objective,
            coldStartBadShare: coldStartBadShare(thresholdMs, input.hours, input.reportStats).share,
            budgetConsumed: remaining === null ? null : 1 - remaining,
          };
        });
      expect({ fn: fn.functionName, reservedByOthers: input.reservedByOthers, latencySlos: input.latencySlos }).toEqual({ fn: fn.functionName, reservedByOthers, latencySlos });
      if (latencySlos.length > 0) withLatencySlos++;
      if (reservedByOthers > 0) withReservedOthers++;
    }
    // The generated fleet exercises both lookups (not a comparison of empty lists).
    expect(withLatencySlos).toBeGreaterThan(50);
    expect(withReservedOthers).toBe(scope.length);
    // …and the same answer without a prebuilt index (readSizingInput builds it).
    const one = scope[3]!;
    const withIndex = await readSizingInput({ series: series as never, reportStats: reportStats as never }, one, { ...read, index });
    expect(await readSizingInput({ series: series as never, reportStats: reportStats as never }, one, read)).toEqual(withIndex);
  });
});
