import { describe, expect, it } from "vitest";
import { assessDataSufficiency, MIN_INVOCATIONS } from "@/lib/domain/analysis/data-sufficiency";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import { analyzeFleet } from "@/lib/use-cases/analyze-fleet";
import { aCollectorContext } from "@/tests/builders/collector-context";
import { aFunction } from "@/tests/builders/function-config";
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
