import { describe, expect, it } from "vitest";
import { formatRunSummary, parseSince } from "@/cli/collect-report";
import { parseNow } from "@/cli/commands/collect";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { aCollectorRun } from "@/tests/builders/collector-run";

const run = (overrides: Partial<CollectorRun>): CollectorRun => aCollectorRun({ apiUsage: {}, estimatedCostUsd: 0, itemsWritten: 0, ...overrides });

describe("parseSince", () => {
  it.each([
    ["90m", 2],
    ["36h", 36],
    ["14d", 336],
    ["1m", 1],
  ])("%s → %i hours", (raw, hours) => {
    expect(parseSince(raw)).toBe(hours);
  });

  it.each(["", "14", "two weeks", "0d", "500d", "-3h"])("rejects %j naming the flag", (raw) => {
    expect(() => parseSince(raw)).toThrow(/^--since: /);
  });
});

describe("formatRunSummary", () => {
  it("prints a row per run with requests, cost, items and lag, and totals", () => {
    const nowMs = Date.UTC(2026, 10, 26, 12);
    const text = formatRunSummary(
      [
        run({ apiUsage: { "CloudWatch.GetMetricData": { requests: 3, units: 1500 } }, estimatedCostUsd: 0.015, itemsWritten: 720, note: "15 functions" }),
        run({ collector: "costs", region: "global", outcome: "failed", error: "AccessDeniedException: ce:GetCostAndUsage" }),
      ],
      [{ collector: "metrics", accountId: "123456789012", region: "us-east-1", throughMs: nowMs - 90_000, sinceMs: null, lastAttemptMs: nowMs, lastSuccessMs: nowMs, lastError: null }],
      nowMs,
    );
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^collector\s+account\/region\s+outcome\s+requests\s+cost\s+items\s+lag\s+note$/);
    expect(lines[1]).toMatch(/^metrics\s+123456789012\/us-east-1\s+collected\s+3\s+\$0\.0150\s+720\s+2 min\s+15 functions$/);
    expect(lines[2]).toMatch(/^costs\s+123456789012\/global\s+failed\s+0\s+\$0\.0000\s+0\s+—\s+AccessDeniedException: ce:GetCostAndUsage$/);
    expect(lines[3]).toMatch(/^total\s+1 failed\s+3\s+\$0\.0150\s+720$/);
  });
});

describe("parseNow (collect --once --now)", () => {
  const wallClockMs = Date.UTC(2026, 10, 27, 12, 0, 0);

  it.each([
    ["2026-11-26T12:00:30Z", Date.UTC(2026, 10, 26, 12, 0, 30)],
    ["2026-11-26T13:00+01:00", Date.UTC(2026, 10, 26, 12, 0)],
    ["2024-02-29T00:00:00.250Z", Date.UTC(2024, 1, 29, 0, 0, 0, 250)],
  ])("%s → the instant it names", (raw, ms) => {
    expect(parseNow(raw, wallClockMs)).toBe(ms);
  });

  it("is absent when the flag is", () => {
    expect(parseNow(undefined, wallClockMs)).toBeUndefined();
  });

  it.each(["2026-02-31T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-26T12:00:30", "2026-11-26", "yesterday", ""])("refuses %j naming the flag", (raw) => {
    expect(() => parseNow(raw, wallClockMs)).toThrow(/^--now: /);
  });

  it("refuses an instant in the future but tolerates a minute of clock skew", () => {
    expect(parseNow("2026-11-27T12:00:30Z", wallClockMs)).toBe(wallClockMs + 30_000);
    expect(() => parseNow("2026-11-27T12:05:00Z", wallClockMs)).toThrow(/--now: .*in the future/);
  });
});
