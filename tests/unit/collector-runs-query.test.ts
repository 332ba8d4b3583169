import { describe, expect, it } from "vitest";
import { parseCollectorRunsParams } from "@/app/_server/collectors-params";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { matchesRunFilter, parseLookbackMs } from "@/lib/domain/collection/run-filter";
import { parseCollectorRunsQuery } from "@/lib/queries/collectors-view";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 26, 12, 30, 42);

describe("parseLookbackMs", () => {
  it.each([
    ["30m", 30 * MIN],
    ["24h", DAY],
    ["7d", 7 * DAY],
    ["0h", 0],
    ["1.5h", null],
    ["24 h", null],
    ["24H", null],
    ["2w", null],
    ["h", null],
    ["", null],
  ])("%j → %s", (text, ms) => {
    expect(parseLookbackMs(text)).toBe(ms);
  });
});

describe("parseCollectorRunsQuery", () => {
  it("defaults to the last 24 h, 100 runs, no filter", () => {
    expect(parseCollectorRunsQuery({}, NOW)).toEqual({ ok: true, value: { sinceMs: NOW - DAY, limit: 100 } });
  });

  it("reads every parameter, `account` as accountId", () => {
    const result = parseCollectorRunsQuery({ collector: "metrics", account: "123456789012", region: "eu-west-1", outcome: "failed", since: "6h", limit: "500" }, NOW);
    expect(result).toEqual({
      ok: true,
      value: { collector: "metrics", accountId: "123456789012", region: "eu-west-1", outcome: "failed", sinceMs: NOW - 6 * HOUR, limit: 500 },
    });
  });

  it.each([
    ["an ISO instant", "2026-11-26T00:00:00Z", Date.UTC(2026, 10, 26)],
    ["an ISO instant with an offset", "2026-11-26T01:00:00+01:00", Date.UTC(2026, 10, 26)],
    ["30 days back exactly", "30d", NOW - 30 * DAY],
  ])("accepts since as %s", (_, since, sinceMs) => {
    const result = parseCollectorRunsQuery({ since }, NOW);
    expect(result.ok && result.value.sinceMs).toBe(sinceMs);
  });

  it("takes the pseudo-region of account-wide collectors", () => {
    expect(parseCollectorRunsQuery({ region: "global" }, NOW)).toMatchObject({ ok: true, value: { region: "global" } });
  });

  it("treats empty values as not given", () => {
    expect(parseCollectorRunsQuery({ collector: "", limit: "" }, NOW)).toEqual({ ok: true, value: { sinceMs: NOW - DAY, limit: 100 } });
  });

  it.each([
    [{ collector: "cron" }, /^collector: Invalid option/],
    [{ account: "1234" }, /^account: must be 12 digits$/],
    [{ region: "mars-1" }, /^region: must be a region code like us-east-1, or global$/],
    [{ outcome: "ok" }, /^outcome: Invalid option/],
    [{ since: "yesterday" }, /^since: must be an ISO 8601 instant .* or a look-back like 30m, 24h, 7d$/],
    [{ since: "2026-11-26T00:00:00" }, /^since: must be an ISO 8601 instant/],
    [{ since: "0h" }, /^since: must be in the past$/],
    [{ since: "2026-11-27T00:00:00Z" }, /^since: must be in the past$/],
    [{ since: "31d" }, /^since: at most 30 days back/],
    [{ limit: "0" }, /^limit: must be a whole number from 1 to 500$/],
    [{ limit: "501" }, /^limit: must be a whole number from 1 to 500$/],
    [{ limit: "ten" }, /^limit: must be a whole number from 1 to 500$/],
    [{ limit: "-5" }, /^limit: must be a whole number from 1 to 500$/],
    [{ limit: "2.5" }, /^limit: must be a whole number from 1 to 500$/],
  ])("rejects %j naming the parameter", (params, message) => {
    const result = parseCollectorRunsQuery(params, NOW);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe("parseCollectorRunsParams (pages and routes)", () => {
  it("rejects a repeated parameter by name", () => {
    expect(parseCollectorRunsParams({ collector: ["metrics", "costs"] }, NOW)).toEqual({ ok: false, error: "collector: given more than once" });
  });

  it("ignores parameters it does not know", () => {
    expect(parseCollectorRunsParams({ collector: "costs", range: "7d", x: ["1", "2"] }, NOW)).toEqual({ ok: true, value: { collector: "costs", sinceMs: NOW - DAY, limit: 100 } });
  });
});

describe("matchesRunFilter", () => {
  const run = { collector: "metrics", accountId: "123456789012", region: "us-east-1", outcome: "failed" } as CollectorRun;
  it.each([
    [{}, true],
    [{ collector: "metrics" }, true],
    [{ collector: "costs" }, false],
    [{ accountId: "123456789012", region: "us-east-1", outcome: "failed" }, true],
    [{ accountId: "210987654321" }, false],
    [{ region: "eu-west-1" }, false],
    [{ outcome: "collected" }, false],
  ] as const)("%j → %s", (filter, matches) => {
    expect(matchesRunFilter(run, filter)).toBe(matches);
  });
});
