import { describe, expect, it } from "vitest";
import { aggregateReportLines, nearestRankPercentiles } from "@/lib/domain/cold-start/aggregate-report-lines";
import { parseReportLine, type ReportLine } from "@/lib/domain/logs/report-line";

/**
 * REPORT lines as Lambda writes them. The text line with Init Duration is FACTS §3's; the
 * SnapStart and JSON lines are published recordings (AWS documentation and open-source test
 * fixtures of real functions), kept byte for byte apart from the request ids.
 */
const RECORDED = {
  /** FACTS §3: a cold start before 2025-08-01 — Billed Duration (129) is Duration rounded up, without INIT. */
  textCold:
    "REPORT RequestId: 3f1c2a7e-9b7d-4e0a-8f3e-1d2c3b4a5e6f\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\tXRAY TraceId: 1-5e1b4151-5ac6c58f5b2c9a1f3e4d5c6b\tSegmentId: 6f5e4d3c2b1a0f9e\tSampled: true",
  /** A SnapStart restore (Java, 2023): Billed Duration 2521 = ⌈2338.66 + 182⌉, i.e. it holds the Billed Restore Duration. */
  textSnapStart:
    "REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\tBilled Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t",
  /** JSON log format, telemetry API sample (2022): Init Duration not in Billed Duration. */
  jsonCold:
    '{"time":"2022-10-21T14:05:05.766Z","type":"platform.report","record":{"requestId":"459921b5-681c-4a96-beb0-81e0aa586026","metrics":{"durationMs":2599.4,"billedDurationMs":2600,"memorySizeMB":128,"maxMemoryUsedMB":94,"initDurationMs":549.04},"tracing":{"spanId":"24cd7d670fa455f0","type":"X-Amzn-Trace-Id","value":"Root=1-6352a70e-1e2c502e358361800241fd45;Parent=35465b3a9e2f7c6a;Sampled=1"},"status":"success"}}',
  /** JSON SnapStart restore (2024): Billed Duration 201 = ⌈147.156 + 53⌉. */
  jsonSnapStart:
    '{"time":"2024-02-09T08:42:44.080Z","type":"platform.report","record":{"requestId":"d661f7cf-9208-46b9-85b0-213b04a91065","status":"success","metrics":{"durationMs": 147.156,"billedDurationMs": 201, "memorySizeMB": 512,"maxMemoryUsedMB": 91,"restoreDurationMs": 500.795,"billedRestoreDurationMs": 53 }}}',
  /** JSON, an invocation killed at its 5 s timeout. */
  jsonTimeout:
    '{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","metrics":{"durationMs":5000.0,"billedDurationMs":5000,"memorySizeMB":128,"maxMemoryUsedMB":94},"status":"timeout"}}',
} as const;

function parsed(text: string): ReportLine {
  const result = parseReportLine(text);
  if (result.kind !== "report") throw new Error(`expected a REPORT line: ${result.reason}`);
  return result.line;
}

describe("parseReportLine", () => {
  it.each([
    ["text, cold", RECORDED.textCold, "text", { durationMs: 128.83, billedDurationMs: 129, memorySizeMb: 128, maxMemoryUsedMb: 74, initDurationMs: 166.62, restoreDurationMs: null, billedRestoreDurationMs: null, status: "success" }],
    ["text, SnapStart", RECORDED.textSnapStart, "text", { durationMs: 2338.66, billedDurationMs: 2521, memorySizeMb: 3009, maxMemoryUsedMb: 173, initDurationMs: null, restoreDurationMs: 398.97, billedRestoreDurationMs: 182 }],
    ["JSON, cold", RECORDED.jsonCold, "json", { durationMs: 2599.4, billedDurationMs: 2600, memorySizeMb: 128, maxMemoryUsedMb: 94, initDurationMs: 549.04, restoreDurationMs: null, timeMs: Date.UTC(2022, 9, 21, 14, 5, 5, 766) }],
    ["JSON, SnapStart", RECORDED.jsonSnapStart, "json", { durationMs: 147.156, billedDurationMs: 201, memorySizeMb: 512, initDurationMs: null, restoreDurationMs: 500.795, billedRestoreDurationMs: 53 }],
    ["JSON, timeout", RECORDED.jsonTimeout, "json", { durationMs: 5000, billedDurationMs: 5000, initDurationMs: null, status: "timeout" }],
  ])("reads a %s line", (_name, text, format, expected) => {
    const result = parseReportLine(text);
    expect(result).toMatchObject({ kind: "report", format, line: expected });
  });

  it("reads a warm text line pasted with spaces instead of tabs, and a request id ending in a letter", () => {
    const line = parsed("REPORT RequestId: 0e5c8424-aaaa-bbbb-cccc-dddddddddddf Duration: 12.10 ms Billed Duration: 13 ms Memory Size: 512 MB Max Memory Used: 96 MB");
    expect(line).toMatchObject({ requestId: "0e5c8424-aaaa-bbbb-cccc-dddddddddddf", durationMs: 12.1, billedDurationMs: 13, initDurationMs: null, restoreDurationMs: null });
  });

  it("reads an out-of-memory kill", () => {
    const line = parsed("REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 2810.44 ms\tBilled Duration: 2811 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t");
    expect(line).toMatchObject({ status: "error", errorType: "Runtime.OutOfMemory" });
  });

  it.each([
    ["a START line", "START RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763 Version: $LATEST", /not a REPORT line/],
    ["a line cut before Billed Duration", "REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\tBill", /^Billed Duration: missing/],
    ["a cut JSON record", RECORDED.jsonCold.slice(0, 80), /not valid JSON/],
    ["another platform record", '{"time":"2022-10-21T14:05:05.766Z","type":"platform.start","record":{"requestId":"x"}}', /not a platform.report record \(type "platform.start"\)/],
    ["a JSON report without billed duration", RECORDED.jsonTimeout.replace('"billedDurationMs":5000,', ""), /^record\.metrics\.billedDurationMs: /],
    ["an impossible memory size", RECORDED.textCold.replace("Memory Size: 128 MB", "Memory Size: 64 MB"), /^Memory Size: 64 MB is not a Lambda memory size/],
  ])("rejects %s with the reason", (_name, text, reason) => {
    const result = parseReportLine(text);
    expect(result.kind).toBe("invalid");
    if (result.kind === "invalid") expect(result.reason).toMatch(reason);
  });
});

describe("nearestRankPercentiles", () => {
  it("takes the ⌈p·n⌉-th smallest value", () => {
    // 1..100: p50 is the 50th value, p90 the 90th, p99 the 99th.
    expect(nearestRankPercentiles(Array.from({ length: 100 }, (_, i) => 100 - i))).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(nearestRankPercentiles([7])).toEqual({ p50: 7, p90: 7, p99: 7, max: 7 });
    expect(nearestRankPercentiles([])).toBeNull();
  });
});

describe("aggregateReportLines", () => {
  const ref = { accountId: "123456789012", region: "us-east-1", functionName: "orders-api" };
  const hour = Date.UTC(2026, 10, 26, 10);

  it("groups lines by hour × version × memory size with counts, sums and percentiles", () => {
    const lines = [
      { timestampMs: hour + 60_000, version: "12", line: parsed(RECORDED.textCold) },
      { timestampMs: hour + 120_000, version: "12", line: parsed(RECORDED.textCold.replace("\tInit Duration: 166.62 ms", "").replace("128.83", "20.05").replace("129 ms", "21 ms")) },
      { timestampMs: hour + 3_600_000, version: "12", line: parsed(RECORDED.jsonTimeout) },
      { timestampMs: hour + 180_000, version: "13", line: parsed(RECORDED.jsonSnapStart) },
    ];
    const stats = aggregateReportLines(ref, lines);
    expect(stats.map((s) => [s.hourStartMs - hour, s.version, s.memorySizeMb, s.invocations])).toEqual([
      [0, "12", 128, 2],
      [0, "13", 512, 1],
      [3_600_000, "12", 128, 1],
    ]);
    expect(stats[0]).toMatchObject({
      coldStarts: 1,
      snapStartRestores: 0,
      initDurationMs: { p50: 166.62, p90: 166.62, p99: 166.62, max: 166.62 },
      initDurationMsSum: 166.62,
      billedDurationMsSum: 150,
      durationMsSum: 148.88,
      maxMemoryUsedMb: { p50: 74, max: 74 },
    });
    expect(stats[1]).toMatchObject({ coldStarts: 1, snapStartRestores: 1, initDurationMs: null, restoreDurationMs: { p50: 500.8 }, restoreDurationMsSum: 500.8, billedRestoreDurationMsSum: 53 });
    expect(stats[2]).toMatchObject({ coldStarts: 0, timeouts: 1, initDurationMs: null });
  });
});
