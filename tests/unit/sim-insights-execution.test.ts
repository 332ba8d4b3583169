import { describe, expect, it } from "vitest";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { compileQuery } from "@/infra/local/sim/logs/insights/compile-query";
import { logGroupsIn } from "@/infra/local/sim/logs/log-groups";
import { QueryExecution } from "@/infra/local/sim/logs/query-execution";
import { SeriesChunks } from "@/infra/local/sim/logs/series-chunks";
import { createSimModel, MinuteSeriesCache } from "@/infra/local/sim/model/minute-stats";
import { firstUnpublishedMinute } from "@/infra/local/sim/model/time";
import type { Scenario } from "@/infra/local/sim/scenario-schema";

/** Running queries over the generated logs: tiers agree, slicing does not matter, ranges and publication hold. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const model = createSimModel(scenario, { seed: 1, anchorDay: Math.floor(NOW / 86_400_000) });
const chunks = new SeriesChunks(model);
const ALL_GROUPS = logGroupsIn(model, scenario.account.region);
const END_MS = Date.UTC(2026, 10, 27, 12, 0);

function execute(query: string, options: { fromMs: number; toMs: number; groups?: typeof ALL_GROUPS; sliceMs?: number; nowMs?: number; limit?: number }) {
  const execution = new QueryExecution(compileQuery(query), {
    model,
    chunks,
    groups: options.groups ?? ALL_GROUPS,
    startMs: options.fromMs,
    endMs: options.toMs,
    nowMs: options.nowMs ?? NOW,
    malformedRatio: 0,
    outputLimit: options.limit ?? 1000,
  });
  let slices = 1;
  while (!execution.step(options.sliceMs ?? Infinity)) slices++;
  const rows = execution.rows().map((row) => Object.fromEntries(row.map((cell) => [cell.field, cell.value])));
  return { rows, statistics: execution.statistics(), tier: execution.tier, slices };
}

const group = (name: string) => ALL_GROUPS.filter((g) => g.fn.name === name);

describe("query execution over generated logs", () => {
  it("weighted and exact tiers count the same lines (10 minutes, 3 functions)", () => {
    const range = { fromMs: END_MS - 10 * 60_000, toMs: END_MS, groups: [...group("users-api"), ...group("notifications-worker"), ...group("payments-api")] };
    const weighted = execute("stats count(*) as n, count(@initDuration) as cold by @type, @log", range);
    // count_distinct reads every request id, so the same counts come from one record per line.
    const exact = execute("stats count(*) as n, count(@initDuration) as cold, count_distinct(@requestId) as requests by @type, @log", range);
    expect(weighted.tier).toBe("weighted");
    expect(exact.tier).toBe("exact");
    expect(exact.rows.map(({ requests: _requests, ...row }) => row)).toEqual(weighted.rows);
    expect(exact.statistics.recordsScanned).toBe(weighted.statistics.recordsScanned);
    const reports = exact.rows.filter((row) => row["@type"] === "REPORT");
    expect(reports).toHaveLength(3);
    for (const row of reports) expect(row.requests).toBe(row.n);
  });

  it("gives the same result however it is sliced", () => {
    const range = { fromMs: END_MS - 5 * 60_000, toMs: END_MS, groups: group("orders-api") };
    for (const query of [
      "fields @timestamp, @requestId, @duration | filter @duration > 200 | limit 30",
      'filter @type = "REPORT" | stats avg(@duration), pct(@duration, 99), count(*) by bin(1m)',
      "filter @type = \"REPORT\" | sort @duration desc | limit 5 | display @requestId, @duration",
    ]) {
      const whole = execute(query, range);
      const sliced = execute(query, { ...range, sliceMs: 0 });
      expect(sliced.slices).toBeGreaterThan(1);
      expect(sliced.rows).toEqual(whole.rows);
      expect(sliced.statistics).toEqual(whole.statistics);
      expect(whole.rows.length).toBeGreaterThan(0);
    }
  });

  it("stops scanning once a limit is filled: the newest lines of a day cost one minute", () => {
    const result = execute("fields @timestamp, @message | limit 5", { fromMs: END_MS - 86_400_000, toMs: END_MS });
    expect(result.rows).toHaveLength(5);
    const lastPublishedMinute = firstUnpublishedMinute(NOW) - 1;
    const cache = new MinuteSeriesCache(model, lastPublishedMinute, 1);
    const linesOfLastMinute = ALL_GROUPS.reduce((sum, g) => sum + 3 * cache.series(g.fn.name)!.invocations[0]! + cache.series(g.fn.name)!.coldStarts[0]!, 0);
    expect(result.statistics.recordsScanned).toBeLessThanOrEqual(linesOfLastMinute + ALL_GROUPS.length * 50);
    for (const row of result.rows) expect(Date.parse(`${row["@timestamp"]!.replace(" ", "T")}Z`)).toBeGreaterThanOrEqual(lastPublishedMinute * 60_000);
  });

  it("reads nothing at or after the first unpublished minute, nor before history starts", () => {
    const nowMs = END_MS - 30 * 60_000 + 10_000;
    const late = execute("stats max(@timestamp) as newest, count(*) as n", { fromMs: END_MS - 60 * 60_000, toMs: END_MS, nowMs, groups: group("users-api") });
    expect(Date.parse(`${late.rows[0]!.newest!.replace(" ", "T")}Z`)).toBeLessThan(firstUnpublishedMinute(nowMs) * 60_000);
    const historyStartMs = model.fleet.historyStartMinute * 60_000;
    const early = execute("stats min(@timestamp) as oldest, count(*) as n", { fromMs: historyStartMs - 3_600_000, toMs: historyStartMs + 120_000, groups: group("users-api") });
    expect(Date.parse(`${early.rows[0]!.oldest!.replace(" ", "T")}Z`)).toBeGreaterThanOrEqual(historyStartMs);
    expect(Number(early.rows[0]!.n)).toBeGreaterThan(0);
  });

  it("counts only the lines inside a range that cuts minutes, in both tiers", () => {
    const range = { fromMs: END_MS - 10 * 60_000 + 20_000, toMs: END_MS - 60_000 - 15_000, groups: group("inventory-api") };
    const weighted = execute("stats count(*) as n", range);
    const exact = execute("stats count(*) as n, count_distinct(@logStream) as streams", range);
    const lines = execute("fields @timestamp | limit 10000", range);
    expect(weighted.tier).toBe("weighted");
    expect(exact.rows[0]!.n).toBe(weighted.rows[0]!.n);
    const times = lines.rows.map((row) => Date.parse(`${row["@timestamp"]!.replace(" ", "T")}Z`));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(range.fromMs);
    expect(Math.max(...times)).toBeLessThanOrEqual(range.toMs);
  });
});

/** The version in the log stream name (`2026/11/27/[57]…`), as the logs-insights collector parses it. */
const VERSION_PARSE = "parse @logStream /\\[(?<version>[^\\]]+)\\]/";
const REPORT_STATS = "stats count(*) as n, count(@initDuration) as cold, sum(@billedDuration) as billed";

/** Σ of numeric columns per key (a row's other columns joined), across the rows of each key. */
function sumBy(rows: Record<string, string>[], key: (row: Record<string, string>) => string, columns: readonly string[]): Record<string, Record<string, number>> {
  const sums: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const k = key(row);
    sums[k] ??= Object.fromEntries(columns.map((c) => [c, 0]));
    for (const c of columns) sums[k][c]! += Number(row[c]);
  }
  return sums;
}

describe("the version from @logStream on the weighted path", () => {
  it("a stats query split by the parsed version stays weighted and counts what the unsplit query counts", () => {
    const range = { fromMs: END_MS - 3 * 3_600_000, toMs: END_MS - 1 };
    const plain = execute(`filter @type = "REPORT" | ${REPORT_STATS} by bin(1h) as hour, @log as logGroup`, range);
    const split = execute(`filter @type = "REPORT" | ${VERSION_PARSE} | ${REPORT_STATS} by bin(1h) as hour, @log as logGroup, version`, range);
    expect(plain.tier).toBe("weighted");
    expect(split.tier).toBe("weighted");
    // One version per function: the rows only gain a column.
    expect(split.rows).toHaveLength(plain.rows.length);
    const key = (row: Record<string, string>) => `${row.hour}|${row.logGroup}`;
    expect(sumBy(split.rows, key, ["n", "cold"])).toEqual(sumBy(plain.rows, key, ["n", "cold"]));
    expect(split.statistics).toEqual(plain.statistics);
    // Functions invoked through an alias log under its version (ListAliases' FunctionVersion), the others under $LATEST.
    const versions = Object.fromEntries(split.rows.map((row) => [row.logGroup!.split(":/aws/lambda/")[1]!, row.version]));
    expect(versions["orders-api"]).toBe("57");
    expect(versions["payments-api"]).toBe("112");
    for (const fn of model.fleet.functions.filter((f) => f.aliases.length === 0)) expect(versions[fn.name], fn.name).toBe("$LATEST");
  });

  it("the weighted records read the same versions as one record per line", () => {
    const range = { fromMs: END_MS - 10 * 60_000, toMs: END_MS - 1 };
    const weighted = execute(`filter @type = "REPORT" | ${VERSION_PARSE} | stats count(*) as n by @log, version`, range);
    // count_distinct(@requestId) forces one record per line.
    const exact = execute(`filter @type = "REPORT" | ${VERSION_PARSE} | stats count(*) as n, count_distinct(@requestId) as ids by @log, version`, range);
    expect(weighted.tier).toBe("weighted");
    expect(exact.tier).toBe("exact");
    expect(exact.rows.map(({ ids: _ids, ...row }) => row)).toEqual(weighted.rows);
    expect(new Set(weighted.rows.map((row) => row.version))).toEqual(new Set(["$LATEST", "57", "112"]));
  });

  it("parses that read the environment id of the stream name walk every line", () => {
    const range = { fromMs: END_MS - 5 * 60_000, toMs: END_MS - 1, groups: group("orders-api") };
    const byEnvironment = execute('parse @logStream "*/[*]*" as date, version, environment | stats count(*) as n by version, environment', range);
    expect(byEnvironment.tier).toBe("exact");
    expect(byEnvironment.rows.length).toBeGreaterThan(1);
    expect(new Set(byEnvironment.rows.map((row) => row.version))).toEqual(new Set(["57"]));
  });

  it("a deploy changes the code in place: an aliased function keeps logging under its alias's version", () => {
    // orders-api (alias live → 57) gets a release at 10:30 on the query's day.
    const deployed: Scenario = {
      ...scenario,
      events: [
        ...scenario.events,
        { kind: "deploy", name: "orders-release", schedule: { at: "2026-11-27T10:30:00Z" }, functions: ["orders-api"], durationMultiplier: 1.5, tailMultiplier: 1 },
      ],
    };
    const deployModel = createSimModel(deployed, { seed: 1, anchorDay: Math.floor(NOW / 86_400_000) });
    const orders = logGroupsIn(deployModel, scenario.account.region).filter((g) => g.fn.name === "orders-api");
    expect(orders[0]!.fn.revisions.map((r) => r.cause)).toEqual(["scenario", "deploy orders-release"]);
    const execution = new QueryExecution(compileQuery(`filter @type = "REPORT" | ${VERSION_PARSE} | stats count(*) as n, avg(@duration) as mean by bin(1h) as hour, version`), {
      model: deployModel,
      chunks: new SeriesChunks(deployModel),
      groups: orders,
      startMs: Date.UTC(2026, 10, 27, 10),
      endMs: Date.UTC(2026, 10, 27, 11) - 1,
      nowMs: NOW,
      malformedRatio: 0,
      outputLimit: 1000,
    });
    while (!execution.step(Infinity));
    const rows = execution.rows().map((row) => Object.fromEntries(row.map((cell) => [cell.field, cell.value])));
    expect(rows.map((row) => row.version)).toEqual(["57"]);
  });
});
