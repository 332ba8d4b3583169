import { describe, expect, it } from "vitest";
import { collectorsHref } from "@/app/(console)/collectors/collectors-href";
import { formatCadence, formatElapsedMs, formatUsd, formatWindowUtc } from "@/app/(console)/_format/format";

describe("formatUsd", () => {
  it.each([
    [0, "$0"],
    [0.0000004, "<$0.000001"],
    [0.0000123, "$0.000012"],
    [0.00001, "$0.000010"],
    [0.0456, "$0.046"],
    [0.00999, "$0.010"],
    [0.5, "$0.50"],
    [0.999, "$1.00"],
    [1.5, "$1.50"],
    [1234.5, "$1,234.50"],
    [-0.25, "-$0.25"],
    [null, "—"],
    [Number.NaN, "—"],
  ])("%s → %s", (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });
});

describe("formatElapsedMs", () => {
  it.each([
    [0, "0 s"],
    [45_000, "45 s"],
    [720_000, "12 min"],
    [3_600_000, "1 h"],
    [11_100_000, "3 h 5 min"],
    [86_400_000, "1 d"],
    [187_200_000, "2 d 4 h"],
    [null, "—"],
    [-5, "—"],
  ])("%s → %s", (ms, text) => {
    expect(formatElapsedMs(ms)).toBe(text);
  });
});

describe("formatCadence", () => {
  it.each([
    [1, "every minute"],
    [5, "every 5 min"],
    [360, "every 6 h"],
    [90, "every 90 min"],
  ])("%i → %s", (minutes, text) => {
    expect(formatCadence(minutes)).toBe(text);
  });
});

describe("formatWindowUtc", () => {
  it.each([
    [{ fromMs: Date.UTC(2026, 10, 26, 12), toMs: Date.UTC(2026, 10, 26, 12, 5) }, "2026-11-26 12:00–12:05 UTC"],
    [{ fromMs: Date.UTC(2026, 10, 25), toMs: Date.UTC(2026, 10, 27) }, "2026-11-25 00:00 – 2026-11-27 00:00 UTC"],
    [null, "—"],
  ])("%j → %s", (window, text) => {
    expect(formatWindowUtc(window)).toBe(text);
  });
});

describe("collectorsHref", () => {
  it("sets, replaces and removes one filter, keeping the rest in a fixed order", () => {
    expect(collectorsHref({})).toBe("/collectors");
    expect(collectorsHref({}, { collector: "metrics" })).toBe("/collectors?collector=metrics");
    expect(collectorsHref({ since: "7d", collector: "costs" }, { collector: "metrics" })).toBe("/collectors?collector=metrics&since=7d");
    expect(collectorsHref({ collector: "costs", outcome: "failed" }, { collector: undefined })).toBe("/collectors?outcome=failed");
    expect(collectorsHref({ region: "us-east-1" }, { outcome: "" })).toBe("/collectors?region=us-east-1");
  });
});
