import { describe, expect, it } from "vitest";
import {
  formatCompactNumber,
  formatDateTimeUtc,
  formatDurationMs,
  formatInteger,
  formatMemoryMb,
  formatPercent,
  formatPresetShort,
  formatRangeLabel,
  formatRelativeTime,
  formatSparklineLabel,
} from "@/app/(console)/_format/format";

describe("formatCompactNumber", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [12.34, "12.3"],
    [0.5, "0.5"],
    [1000, "1k"],
    [1234, "1.23k"],
    [12345, "12.3k"],
    [123456, "123k"],
    [999_499, "999k"],
    [999_950, "1M"],
    [1_234_567, "1.23M"],
    [1_500_000_000, "1.5B"],
    [-4321, "-4.32k"],
    [Number.NaN, "—"],
  ])("%d → %s", (value, expected) => {
    expect(formatCompactNumber(value)).toBe(expected);
  });
});

describe("formatInteger", () => {
  it.each([
    [0, "0"],
    [1234567, "1,234,567"],
    [999.6, "1,000"],
  ])("%d → %s", (value, expected) => {
    expect(formatInteger(value)).toBe(expected);
  });
});

describe("formatDurationMs", () => {
  it.each([
    [null, "—"],
    [0, "0 ms"],
    [0.42, "0.42 ms"],
    [12.345, "12.3 ms"],
    [123.4, "123 ms"],
    [999.6, "1 s"],
    [1234, "1.23 s"],
    [59_400, "59.4 s"],
    [59_990, "1 min"],
    [59_999, "1 min"],
    [754_000, "12 min 34 s"],
    [900_000, "15 min"],
    [-5, "—"],
  ])("%s ms → %s", (value, expected) => {
    expect(formatDurationMs(value)).toBe(expected);
  });
});

describe("formatPercent", () => {
  it.each([
    [null, "—"],
    [0, "0%"],
    [0.00004, "<0.01%"],
    [0.00123, "0.12%"],
    [0.0456, "4.6%"],
    [0.09999, "10%"],
    [0.5, "50%"],
    [1, "100%"],
  ])("%s → %s", (ratio, expected) => {
    expect(formatPercent(ratio)).toBe(expected);
  });
});

describe("formatRelativeTime", () => {
  const now = Date.UTC(2025, 10, 26, 12, 0, 0);
  it.each([
    [now + 5_000, "just now"],
    [now - 10_000, "just now"],
    [now - 50_000, "1 min ago"],
    [now - 2 * 60_000, "2 min ago"],
    [now - 59 * 60_000, "59 min ago"],
    [now - 3 * 3_600_000 - 59 * 60_000, "3 h ago"],
    [now - 86_400_000, "1 day ago"],
    [now - 5 * 86_400_000, "5 days ago"],
  ])("%d → %s", (then, expected) => {
    expect(formatRelativeTime(then, now)).toBe(expected);
  });
});

describe("other formats", () => {
  it("formats memory with a unit", () => {
    expect(formatMemoryMb(1024)).toBe("1,024 MB");
  });
  it("formats instants in UTC at minute precision", () => {
    expect(formatDateTimeUtc(Date.UTC(2025, 10, 26, 22, 57, 41))).toBe("2025-11-26 22:57 UTC");
  });
  it("names presets and custom ranges", () => {
    const window = { fromMs: Date.UTC(2025, 0, 1, 0, 0), toMs: Date.UTC(2025, 0, 2, 6, 30) };
    expect(formatRangeLabel("24h", window)).toBe("Last 24 hours");
    expect(formatRangeLabel("custom", window)).toBe("2025-01-01 00:00 UTC – 2025-01-02 06:30 UTC");
    expect(formatPresetShort("14d")).toBe("14 d");
  });
  it("describes a sparkline by its span and peak", () => {
    expect(formatSparklineLabel([{ invocationsPerHour: 10 }, { invocationsPerHour: 1500 }, { invocationsPerHour: 3 }])).toBe(
      "Hourly invocations over 3 hours, peak 1.5k per hour",
    );
    expect(formatSparklineLabel([])).toBe("No hourly invocations in this range");
  });
});
