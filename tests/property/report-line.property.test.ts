import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReportLine, type ReportLine } from "@/lib/domain/logs/report-line";

/**
 * The REPORT-line parser (lib/domain/logs/report-line.ts) against generated lines. The lines
 * are built from the format FACTS §3 documents, not from the parser's patterns:
 *   REPORT RequestId: <id>\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\t
 *   Max Memory Used: 74 MB\tInit Duration: 166.62 ms\tXRAY TraceId: 1-...\tSegmentId: ...\tSampled: true
 * SnapStart: `Restore Duration` and `Billed Restore Duration` instead of `Init Duration`. JSON:
 * `platform.report` with `record.metrics.{durationMs, billedDurationMs, memorySizeMB,
 * maxMemoryUsedMB, initDurationMs?, restoreDurationMs?}`.
 */

/** Inputs tried per property (fast-check numRuns). */
const RUNS = { arbitrary: 300, prefixed: 300, textRoundTrip: 200, jsonRoundTrip: 200, jsonWrong: 200 } as const;

/** A duration as REPORT lines print it: ms with two decimals. */
const centiMs = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((c) => c / 100);

const coldStart = fc.oneof(
  fc.constant({ kind: "warm" as const }),
  centiMs(10_000).map((initDurationMs) => ({ kind: "init" as const, initDurationMs })),
  fc.tuple(centiMs(5_000), fc.integer({ min: 0, max: 5_000 })).map(([restoreDurationMs, billedRestoreDurationMs]) => ({ kind: "restore" as const, restoreDurationMs, billedRestoreDurationMs })),
);

const reportFields = fc.record({
  requestId: fc.uuid(),
  durationMs: centiMs(900_000),
  billedDurationMs: fc.integer({ min: 1, max: 900_000 }),
  memorySizeMb: fc.integer({ min: 128, max: 10_240 }),
  usedRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  coldStart,
  xray: fc.boolean(),
});
type Fields = typeof reportFields extends fc.Arbitrary<infer T> ? T : never;

const maxUsedOf = (f: Fields) => Math.max(1, Math.floor(f.memorySizeMb * f.usedRatio));

/** A text line exactly as FACTS §3 shows it (tab-separated, `ms` and `MB` units). */
function textLine(f: Fields): string {
  const parts = [
    `REPORT RequestId: ${f.requestId}`,
    `Duration: ${f.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${f.billedDurationMs} ms`,
    `Memory Size: ${f.memorySizeMb} MB`,
    `Max Memory Used: ${maxUsedOf(f)} MB`,
  ];
  if (f.coldStart.kind === "init") parts.push(`Init Duration: ${f.coldStart.initDurationMs.toFixed(2)} ms`);
  if (f.coldStart.kind === "restore") parts.push(`Restore Duration: ${f.coldStart.restoreDurationMs.toFixed(2)} ms`, `Billed Restore Duration: ${f.coldStart.billedRestoreDurationMs} ms`);
  if (f.xray) parts.push("XRAY TraceId: 1-5e1b4151-5ac6c58f5b5daa6532e4f2e8", "SegmentId: 6b1b3e1c2d3e4f5a", "Sampled: true");
  return `${parts.join("\t")}\t`;
}

function expected(f: Fields, timeMs: number | null): ReportLine {
  return {
    requestId: f.requestId,
    durationMs: f.durationMs,
    billedDurationMs: f.billedDurationMs,
    memorySizeMb: f.memorySizeMb,
    maxMemoryUsedMb: maxUsedOf(f),
    initDurationMs: f.coldStart.kind === "init" ? f.coldStart.initDurationMs : null,
    restoreDurationMs: f.coldStart.kind === "restore" ? f.coldStart.restoreDurationMs : null,
    billedRestoreDurationMs: f.coldStart.kind === "restore" ? f.coldStart.billedRestoreDurationMs : null,
    status: "success",
    errorType: null,
    timeMs,
  };
}

/** Never throws; always one of the two result kinds, an invalid one with a reason. */
function expectTotal(text: string): void {
  const result = parseReportLine(text);
  expect(["report", "invalid"]).toContain(result.kind);
  if (result.kind === "invalid") expect(result.reason.length).toBeGreaterThan(0);
  else {
    const l = result.line;
    for (const n of [l.durationMs, l.billedDurationMs, l.memorySizeMb, l.maxMemoryUsedMb]) expect(Number.isFinite(n) && n >= 0).toBe(true);
    expect(l.memorySizeMb >= 128 && l.memorySizeMb <= 10_240).toBe(true);
  }
}

describe("parseReportLine", () => {
  it("returns a report or an invalid reason for any string, never throws", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 })), expectTotal), { numRuns: RUNS.arbitrary });
  });

  it("is total on text that starts like a REPORT line but is cut, shuffled or corrupted", () => {
    const fragment = fc.oneof(
      fc.constantFrom("Duration: ", "Billed Duration: ", "Memory Size: ", "Max Memory Used: ", "Init Duration: ", "Restore Duration: ", " ms", " MB", "\t", "Status: timeout", "Error Type: "),
      fc.string({ maxLength: 12 }),
      fc.double().map(String),
      fc.constantFrom("1e400", "-5", "NaN", "Infinity", "9".repeat(400), "0.1.2"),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constant("REPORT RequestId: "), reportFields.map(textLine).map((t) => t.slice(0, t.length / 2))), fc.array(fragment, { maxLength: 20 }), (head, rest) =>
        expectTotal(head + rest.join("")),
      ),
      { numRuns: RUNS.prefixed },
    );
  });

  it("reads a documented text line back into the fields it was built from", () => {
    fc.assert(
      fc.property(reportFields, (f) => {
        expect(parseReportLine(textLine(f))).toEqual({ kind: "report", format: "text", line: expected(f, null) });
        // Copies pasted from the console use spaces instead of tabs.
        expect(parseReportLine(textLine(f).replace(/\t/g, "  "))).toEqual({ kind: "report", format: "text", line: expected(f, null) });
      }),
      { numRuns: RUNS.textRoundTrip },
    );
  });

  it("reads a documented JSON platform.report record back into its fields", () => {
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(
      fc.property(reportFields, instant, (f, timeMs) => {
        const metrics: Record<string, number> = {
          durationMs: f.durationMs,
          billedDurationMs: f.billedDurationMs,
          memorySizeMB: f.memorySizeMb,
          maxMemoryUsedMB: maxUsedOf(f),
        };
        if (f.coldStart.kind === "init") metrics.initDurationMs = f.coldStart.initDurationMs;
        if (f.coldStart.kind === "restore") Object.assign(metrics, { restoreDurationMs: f.coldStart.restoreDurationMs, billedRestoreDurationMs: f.coldStart.billedRestoreDurationMs });
        const line = JSON.stringify({ time: new Date(timeMs).toISOString(), type: "platform.report", record: { requestId: f.requestId, metrics } });
        expect(parseReportLine(line)).toEqual({ kind: "report", format: "json", line: expected(f, timeMs) });
      }),
      { numRuns: RUNS.jsonRoundTrip },
    );
  });

  it("is total on platform.report records with fields of any JSON value", () => {
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e400, 128, 1024, "128"));
    const record = fc.record(
      {
        time: anyValue,
        type: fc.oneof(fc.constant("platform.report"), anyValue),
        record: fc.oneof(
          anyValue,
          fc.record({ requestId: anyValue, status: anyValue, metrics: fc.oneof(anyValue, fc.dictionary(fc.constantFrom("durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs", "restoreDurationMs", "__proto__"), anyValue)) }, { requiredKeys: [] }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, (r) => expectTotal(JSON.stringify(r))),
      { numRuns: RUNS.jsonWrong },
    );
  });
});
