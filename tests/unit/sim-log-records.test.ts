import { describe, expect, it } from "vitest";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { forEachExactRecord } from "@/infra/local/sim/logs/exact-log-records";
import type { LambdaLogRecord } from "@/infra/local/sim/logs/lambda-log-record";
import { discoverReportFields, formatReportLine } from "@/infra/local/sim/logs/lambda-report";
import { logGroupOf } from "@/infra/local/sim/logs/log-groups";
import { classCountsOf, planMinute, type MinuteLogPlan } from "@/infra/local/sim/logs/minute-log-plan";
import { lognormalMeanBetween, lognormalMeansBetween } from "@/infra/local/sim/logs/quantile-math";
import { forEachWeightedRecord } from "@/infra/local/sim/logs/weighted-log-records";
import { requestIdFor, sampledCount, traceIdFor } from "@/infra/local/sim/model/invocation-ids";
import { createSimModel, MinuteSeriesCache, type MinuteSeries } from "@/infra/local/sim/model/minute-stats";
import { invocationStartMs } from "@/infra/local/sim/model/invocation-timing";
import { isColdStart, outcomeOf } from "@/infra/local/sim/model/minute-invocations";

/** Log lines generated from the model: counts equal the model's, lines look like Lambda's, both tiers agree. */
const scenario = loadScenario("ecommerce");
const ANCHOR_DAY = Math.floor(Date.UTC(2026, 10, 27) / 86_400_000);
const model = createSimModel(scenario, { seed: 1, anchorDay: ANCHOR_DAY });
const DAY_START = (ANCHOR_DAY - 1) * 1440;
const day = new MinuteSeriesCache(model, DAY_START, 1440);

/** FACTS §3: the Text-format REPORT line. */
const REPORT_LINE =
  /^REPORT RequestId: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d{2} ms\t)?(Status: timeout\t|Status: error\tError Type: Runtime\.OutOfMemory\t)?(XRAY TraceId: 1-[0-9a-f]{8}-[0-9a-f]{24}\tSegmentId: [0-9a-f]{16}\tSampled: (true|false))?$/;

interface Pick {
  name: string;
  series: MinuteSeries;
  i: number;
}

/** The first minute of the day where `test` holds for the function's series. */
function findMinute(name: string, test: (s: MinuteSeries, i: number) => boolean): Pick {
  const series = day.series(name)!;
  for (let i = 0; i < series.length; i++) if (test(series, i)) return { name, series, i };
  throw new Error(`no minute of ${name} matches`);
}

function anyFunctionMinute(test: (s: MinuteSeries, i: number) => boolean): Pick {
  for (const fn of model.fleet.functions) {
    try {
      return findMinute(fn.name, test);
    } catch {
      // next function
    }
  }
  throw new Error("no function-minute matches");
}

/** Minutes that exercise every kind of line: cold starts with errors, timeouts, out-of-memory kills, each runtime family. */
const PICKS: Pick[] = [
  anyFunctionMinute((s, i) => s.coldStarts[i]! > 0 && s.errors[i]! > 0 && s.fn.runtime.startsWith("nodejs")),
  anyFunctionMinute((s, i) => s.timeouts[i]! > 0),
  anyFunctionMinute((s, i) => s.oomErrors[i]! > 0 && s.coldStarts[i]! > 0),
  anyFunctionMinute((s, i) => s.errors[i]! > 0 && s.fn.runtime.startsWith("python")),
  anyFunctionMinute((s, i) => s.errors[i]! > 0 && s.coldStarts[i]! > 0 && s.fn.runtime.startsWith("java")),
  findMinute("users-api", (s, i) => s.invocations[i]! > 2000),
];

function planOf(pick: Pick, malformedRatio = 0): MinuteLogPlan {
  const group = logGroupOf(model, model.fleet.byName.get(pick.name)!);
  return planMinute(model, group, pick.series, pick.i, malformedRatio)!;
}

function exactRecords(plan: MinuteLogPlan): LambdaLogRecord[] {
  const records: LambdaLogRecord[] = [];
  forEachExactRecord(plan, plan.minuteStartMs, plan.minuteStartMs + 59_999, (r) => records.push(r));
  return records;
}

function weightedRecords(plan: MinuteLogPlan): LambdaLogRecord[] {
  const records: LambdaLogRecord[] = [];
  forEachWeightedRecord(plan, (r) => records.push(r));
  return records;
}

/** Line counts by kind as Insights would count them (weights added). */
function counts(records: readonly LambdaLogRecord[]) {
  const total = (test: (r: LambdaLogRecord) => boolean) => records.filter(test).reduce((sum, r) => sum + r.weight, 0);
  return {
    start: total((r) => r.get("@type") === "START"),
    end: total((r) => r.get("@type") === "END"),
    report: total((r) => r.get("@type") === "REPORT"),
    initStart: total((r) => r.message.startsWith("INIT_START Runtime Version: ")),
    initDuration: total((r) => r.get("@initDuration") !== undefined),
    initInMessage: total((r) => r.get("@type") === "REPORT" && r.message.includes("Init Duration")),
    failureLines: total((r) => r.kind === "failure"),
    timedOut: total((r) => / Task timed out after \d+\.\d{2} seconds$/.test(r.message)),
    outOfMemory: total((r) => r.get("@type") === "REPORT" && r.message.includes("Error Type: Runtime.OutOfMemory")),
    statusTimeout: total((r) => r.get("@type") === "REPORT" && r.message.includes("Status: timeout")),
  };
}

describe("exact records: one per line, as Lambda writes them", () => {
  it.each(PICKS.map((pick) => [`${pick.name} minute ${pick.i}`, pick] as const))("%s: line counts equal the model's counts", (_label, pick) => {
    const { series, i } = pick;
    const c = counts(exactRecords(planOf(pick)));
    expect(c.start).toBe(series.invocations[i]);
    expect(c.end).toBe(series.invocations[i]);
    expect(c.report).toBe(series.invocations[i]);
    expect(c.initStart).toBe(series.coldStarts[i]);
    expect(c.initDuration).toBe(series.coldStarts[i]);
    expect(c.initInMessage).toBe(series.coldStarts[i]);
    expect(c.failureLines).toBe(series.errors[i]);
    expect(c.timedOut).toBe(series.timeouts[i]);
    expect(c.statusTimeout).toBe(series.timeouts[i]);
    expect(c.outOfMemory).toBe(series.oomErrors[i]);
  });

  it("REPORT lines have FACTS §3's format, and Insights reads back exactly the fields the record claims", () => {
    const fields = ["@type", "@requestId", "@duration", "@billedDuration", "@memorySize", "@maxMemoryUsed", "@initDuration", "@xrayTraceId", "@xraySegmentId"];
    const mismatches: string[] = [];
    for (const pick of PICKS) {
      for (const record of exactRecords(planOf(pick)).filter((r) => r.kind === "report")) {
        if (!REPORT_LINE.test(record.message)) mismatches.push(record.message);
        const discovered = discoverReportFields(record.message)!;
        for (const field of fields) if (record.get(field) !== discovered[field]) mismatches.push(`${field} of ${record.message}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("bills duration plus INIT rounded up to the ms, keeps memory used within memory size, and reports memory in bytes (MB × 10^6)", () => {
    const configuredMb = scenario.functions.find((fn) => fn.name === "users-api")!.memoryMb;
    const wrong: string[] = [];
    for (const pick of PICKS) {
      for (const record of exactRecords(planOf(pick)).filter((r) => r.kind === "report")) {
        const duration = record.get("@duration") as number;
        const init = (record.get("@initDuration") as number | undefined) ?? 0;
        if (record.get("@billedDuration") !== Math.ceil(Math.round((duration + init) * 100) / 100)) wrong.push(`billed: ${record.message}`);
        const memorySize = record.get("@memorySize") as number;
        const used = record.get("@maxMemoryUsed") as number;
        if (used > memorySize) wrong.push(`memory: ${record.message}`);
        if (record.message.includes("Runtime.OutOfMemory") && used !== memorySize) wrong.push(`oom: ${record.message}`);
      }
    }
    expect(wrong).toEqual([]);
    const users = exactRecords(planOf(PICKS.at(-1)!)).find((r) => r.kind === "report")!;
    expect(users.get("@memorySize")).toBe(configuredMb * 1_000_000);
    expect(users.message).toContain(`Memory Size: ${configuredMb} MB`);
  });

  it("names invocations as X-Ray does: request ids, trace ids with the start second, sampling, failures and cold starts", () => {
    for (const pick of PICKS) {
      const plan = planOf(pick);
      const fn = plan.group.fn;
      const minute = plan.epochMinute;
      const n = plan.invocations;
      const reports = exactRecords(plan).filter((r) => r.kind === "report");
      expect(reports.map((r) => r.get("@requestId"))).toEqual(Array.from({ length: n }, (_, k) => requestIdFor(model, fn, minute, k)));
      const sampled = sampledCount(model, fn, minute, n);
      const disagreements: string[] = [];
      reports.forEach((report, k) => {
        if ((report.get("@initDuration") !== undefined) !== isColdStart(plan.dealt, k)) disagreements.push(`cold ${k}`);
        if ((report.invocation.data.outcome === "ok") !== (outcomeOf(plan.dealt, k) === "ok")) disagreements.push(`outcome ${k}`);
        if (fn.tracingMode !== "Active") {
          if (report.message.includes("XRAY")) disagreements.push(`untraced ${k}`);
          return;
        }
        const startSec = Math.floor(invocationStartMs(model, fn, minute, k, n) / 1000);
        if (report.get("@xrayTraceId") !== traceIdFor(model, fn, minute, k, startSec)) disagreements.push(`trace ${k}`);
        if (!report.message.endsWith(`Sampled: ${k < sampled}`)) disagreements.push(`sampled ${k}`);
      });
      expect(disagreements).toEqual([]);
      expect(reports.some((r) => r.invocation.data.outcome !== "ok") || pick === PICKS.at(-1)).toBe(true);
    }
  });

  it("derives its class counts and sampling from the same ranges as X-Ray's deal-out", () => {
    for (const pick of PICKS) {
      const plan = planOf(pick);
      expect(plan.classCounts).toEqual(classCountsOf(plan.dealt));
      expect(plan.sampled).toBe(plan.dealt.sampled);
      expect(plan.classCounts.reduce((a, b) => a + b, 0)).toBe(pick.series.invocations[pick.i]);
    }
  });

  it("writes a runtime's own error line for function errors", () => {
    const lines = PICKS.flatMap((pick) => exactRecords(planOf(pick)).filter((r) => r.kind === "failure" && r.invocation.data.outcome === "error"));
    const node = lines.find((r) => r.invocation.group.runtimeFamily === "node")!;
    expect(node.message).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"/);
    expect(node.get("@requestId")).toBe(node.invocation.requestId);
    const python = lines.find((r) => r.invocation.group.runtimeFamily === "python")!;
    expect(python.message).toMatch(/^\[ERROR\] RuntimeError: .+\nTraceback \(most recent call last\):/);
    const java = lines.find((r) => r.invocation.group.runtimeFamily === "java")!;
    expect(java.message).toMatch(/: java\.lang\.RuntimeException\n/);
  });

  it("keeps every line inside its minute, off the boundary, START before END and REPORT", () => {
    for (const pick of PICKS) {
      const plan = planOf(pick);
      const records = exactRecords(plan);
      const times = records.map((r) => r.timestampMs);
      expect(Math.min(...times)).toBeGreaterThan(plan.minuteStartMs);
      expect(Math.max(...times)).toBeLessThan(plan.minuteStartMs + 60_000);
      const byRequest = new Map<string, Map<string, number>>();
      for (const record of records) {
        if (record.kind === "initStart") continue;
        const lines = byRequest.get(record.invocation.requestId) ?? new Map<string, number>();
        lines.set(record.kind, record.timestampMs);
        byRequest.set(record.invocation.requestId, lines);
      }
      const outOfOrder = [...byRequest.values()].filter((lines) => !(lines.get("start")! <= lines.get("end")! && lines.get("end") === lines.get("report")));
      expect(outOfOrder).toEqual([]);
    }
  });

  it("a malformed-line ratio cuts that share of REPORT lines: later fields are missing, the line stays a REPORT", () => {
    const pick = PICKS.at(-1)!;
    const plan = planOf(pick, 0.25);
    const reports = exactRecords(plan).filter((r) => r.kind === "report");
    const cut = reports.filter((r) => r.invocation.data.cutRatio !== undefined);
    expect(cut.length).toBe(plan.malformedCounts.reduce((a, b) => a + b, 0));
    expect(cut.length / reports.length).toBeGreaterThan(0.2);
    expect(cut.length / reports.length).toBeLessThan(0.3);
    let lostFields = 0;
    for (const record of cut) {
      const full = formatReportLine(record.invocation.report);
      expect(full.startsWith(record.message) && record.message.length < full.length).toBe(true);
      expect(record.get("@type")).toBe("REPORT");
      expect(record.get("@requestId")).toBe(record.invocation.requestId);
      const kept = Object.keys(discoverReportFields(record.message)!);
      const all = Object.keys(discoverReportFields(full)!);
      expect(all).toEqual(expect.arrayContaining(kept));
      if (kept.length < all.length) lostFields++;
    }
    // Cut at a random point: most cut lines lose at least one field (a cut in the last one may not).
    expect(lostFields / cut.length).toBeGreaterThan(0.8);
    expect(counts(weightedRecords(plan)).report).toBe(reports.length);
  });
});

describe("searching @message without writing it", () => {
  /** Field names, statuses, ids' characters, text that spans fields or never occurs. */
  const NEEDLES = [
    "Init Duration", "Status: timeout", "Status: error", "Error Type", "OutOfMemory", "Runtime.OutOfMemory", "Sampled: true",
    "Sampled: false", "XRAY", "REPORT", "RequestId: ", "Memory", "timeout", "SegmentId: ", "TraceId: 1-", "ab", "e", "",
    "ms\tBilled", " MB", "Duration: 1", "-4", "ERROR", "Task timed out", "START", "END RequestId", "INIT_START", "zz", "d: ",
  ];

  it.each([0, 0.25])("messageIncludes answers as the written line does (both tiers, malformed ratio %s)", (ratio) => {
    const wrong: string[] = [];
    for (const pick of PICKS) {
      for (const records of [exactRecords(planOf(pick, ratio)), weightedRecords(planOf(pick, ratio))]) {
        // Ask first: the lines are still unwritten, so the answers come from the line's values.
        const answers = records.map((r) => NEEDLES.map((needle) => r.messageIncludes(needle)));
        records.forEach((r, i) => {
          NEEDLES.forEach((needle, j) => {
            if (answers[i]![j] !== r.message.includes(needle)) wrong.push(`${JSON.stringify(needle)} in ${r.message}`);
          });
        });
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("weighted records: a few per function-minute", () => {
  it("give exactly the same line counts as the exact records", () => {
    for (const pick of PICKS) {
      const plan = planOf(pick);
      expect(counts(weightedRecords(plan))).toEqual(counts(exactRecords(plan)));
    }
  });

  it("stand for thousands of lines with a few dozen records, weights whole numbers", () => {
    const plan = planOf(PICKS.at(-1)!);
    const weighted = weightedRecords(plan);
    expect(plan.invocations).toBeGreaterThan(2000);
    expect(weighted.length).toBeLessThan(40);
    for (const record of weighted) expect(Number.isInteger(record.weight) && record.weight > 0).toBe(true);
  });

  it("compute the strata of a minute near its timeout all at once, to the same values as slice by slice", () => {
    const breakpoints = [0, 0.45, 0.55, 0.85, 0.93, 0.94, 0.96, 0.985, 0.995, 0.9985, 0.9995, 1];
    // Timeout quantiles from barely capped to a timeout below the median (thin slices take the quantile branch).
    for (const cap of [1, 1 - 1e-7, 0.999, 0.9, 0.3, 1e-3, 1e-6]) {
      for (const [logMedian, sigma] of [[Math.log(120), 0.5], [Math.log(3), 1.4], [Math.log(2500), 0.05]] as const) {
        const quantiles = Float64Array.from(breakpoints, (b) => b * cap);
        const together = new Float64Array(breakpoints.length - 1);
        lognormalMeansBetween(logMedian, sigma, quantiles, new Float64Array(breakpoints.length), together);
        const oneByOne = together.map((_, s) => lognormalMeanBetween(logMedian, sigma, breakpoints[s]! * cap, breakpoints[s + 1]! * cap));
        expect([...together]).toEqual([...oneByOne]);
      }
    }
  });

  it("give mean duration and memory close to one record per line and to CloudWatch's average", () => {
    const busy = day.series("users-api")!;
    let exactDuration = 0;
    let weightedDuration = 0;
    let exactMemory = 0;
    let weightedMemory = 0;
    let lines = 0;
    let cloudWatchTotalMs = 0;
    for (let i = 600; i < 610; i++) {
      const plan = planOf({ name: "users-api", series: busy, i });
      for (const r of exactRecords(plan).filter((r) => r.kind === "report")) {
        exactDuration += r.get("@duration") as number;
        exactMemory += r.get("@maxMemoryUsed") as number;
      }
      for (const r of weightedRecords(plan).filter((r) => r.kind === "report")) {
        weightedDuration += (r.get("@duration") as number) * r.weight;
        weightedMemory += (r.get("@maxMemoryUsed") as number) * r.weight;
      }
      lines += busy.invocations[i]!;
      cloudWatchTotalMs += busy.invocations[i]! * busy.durationAverageMs[i]!;
    }
    // Exact lines are random draws (heavy tail): within 5 %; the strata carry slice means: within 1 % of the model.
    expect(Math.abs(weightedDuration / exactDuration - 1)).toBeLessThan(0.05);
    expect(Math.abs(weightedMemory / exactMemory - 1)).toBeLessThan(0.01);
    expect(Math.abs(weightedDuration / cloudWatchTotalMs - 1)).toBeLessThan(0.01);
    expect(lines).toBeGreaterThan(10_000);
  });
});
