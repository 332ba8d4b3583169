import { describe, expect, it } from "vitest";
import { compileQuery } from "@/infra/local/sim/logs/insights/compile-query";
import type { ResultRow } from "@/infra/local/sim/logs/insights/pipeline";
import { runInsightsQuery } from "@/infra/local/sim/logs/insights/run-insights-query";
import { FieldsRecord, type Value } from "@/infra/local/sim/logs/insights/values";

/**
 * The Logs Insights evaluator on hand-built records. A record of weight w stands for w
 * identical lines, so every result must equal the result over the records expanded into
 * w copies of weight 1.
 */

const T0 = Date.UTC(2026, 10, 27, 11, 0); // 2026-11-27 11:00:00.000
const SECOND = 1000;

function record(fields: Record<string, Value>, weight = 1): FieldsRecord {
  return new FieldsRecord(fields, weight);
}

function report(atMs: number, durationMs: number, extra: Record<string, Value> = {}, weight = 1): FieldsRecord {
  const init = extra["@initDuration"];
  const message = `REPORT RequestId: r\tDuration: ${durationMs.toFixed(2)} ms\t` + (init === undefined ? "" : `Init Duration: ${Number(init).toFixed(2)} ms\t`);
  return record({ "@timestamp": atMs, "@type": "REPORT", "@duration": durationMs, "@message": message, ...extra }, weight);
}

/** Each record of weight w as w records of weight 1. */
function expand(records: readonly FieldsRecord[]): FieldsRecord[] {
  return records.flatMap((r) => {
    const fields: Record<string, Value> = {};
    for (const name of ["@timestamp", "@type", "@duration", "@message", "@initDuration", "@log", "@memorySize"]) {
      const value = r.get(name);
      if (value !== undefined) fields[name] = value;
    }
    return Array.from({ length: r.weight }, () => record(fields));
  });
}

function rows(query: string, records: readonly FieldsRecord[], limit?: number): Record<string, string>[] {
  return toObjects(runInsightsQuery(query, records, limit).rows);
}

function toObjects(result: ResultRow[]): Record<string, string>[] {
  return result.map((row) => Object.fromEntries(row.map((cell) => [cell.field, cell.value])));
}

/** Two log groups over two 5-minute bins; weights as the weighted tier would produce them. */
const WEIGHTED = [
  report(T0 + 10 * SECOND, 100, { "@log": "a", "@memorySize": 128e6 }, 90),
  report(T0 + 20 * SECOND, 400, { "@log": "a", "@memorySize": 128e6, "@initDuration": 250 }, 7),
  report(T0 + 30 * SECOND, 2000, { "@log": "b", "@memorySize": 512e6 }, 3),
  report(T0 + 6 * 60 * SECOND, 50, { "@log": "b", "@memorySize": 512e6 }, 40),
  report(T0 + 7 * 60 * SECOND, 900, { "@log": "b", "@memorySize": 512e6, "@initDuration": 800 }, 2),
  record({ "@timestamp": T0 + 8 * 60 * SECOND, "@type": "START", "@message": "START RequestId: r Version: $LATEST", "@log": "b" }, 142),
];

describe("weighted aggregates", () => {
  it("count adds weights; sum, avg and pct are weighted; min and max ignore weights", () => {
    const [row] = rows(
      'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@duration) as total, avg(@duration) as mean, ' +
        "min(@duration) as fastest, max(@duration) as slowest, pct(@duration, 50) as p50, pct(@duration, 95) as p95, percentile(@duration, 99) as p99",
      WEIGHTED,
    );
    // 90×100 + 7×400 + 3×2000 + 40×50 + 2×900 = 21,600 ms over 142 lines.
    expect(row).toEqual({
      n: "142",
      cold: "9",
      total: "21600",
      mean: String(21_600 / 142),
      fastest: "50",
      slowest: "2000",
      // Sorted: 40×50, 90×100, 7×400, 2×900, 3×2000 → rank 71 is 100, rank 135 (⌈0.95·142⌉) is 400, rank 141 is 2000.
      p50: "100",
      p95: "400",
      p99: "2000",
    });
  });

  it("gives the same rows as the records expanded into weight-1 lines, for every aggregate", () => {
    const queries = [
      "stats count(*), count(@initDuration), sum(@duration), avg(@duration), min(@duration), max(@duration), pct(@duration, 90) by @log",
      'filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration"))/count(*) * 100 as coldStartPct, avg(@duration) by bin(5m)',
      "fields @duration * 2 as double | stats avg(double), pct(double, 10) by @memorySize / 1000 / 1000 as memoryMb",
    ];
    for (const query of queries) {
      expect(rows(query, WEIGHTED)).toEqual(rows(query, expand(WEIGHTED)));
    }
    // The weighted standard deviation accumulates in another order: equal up to rounding.
    const stddev = (records: FieldsRecord[]) => Number(rows("stats stddev(@duration) as sd", records)[0]!.sd);
    expect(stddev(WEIGHTED)).toBeCloseTo(stddev(expand(WEIGHTED)), 9);
    expect(stddev([report(T0, 1), report(T0, 3)])).toBeCloseTo(Math.SQRT2, 12);
  });

  it("AWS's cold-start ratio query by bin(5m): newest bin first, bins formatted as timestamps", () => {
    const result = rows(
      'filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration"))/count(*) * 100 as coldStartPct, avg(@duration) by bin(5m)',
      WEIGHTED,
    );
    expect(result).toEqual([
      { "bin(5m)": "2026-11-27 11:05:00.000", coldStartPct: String((2 / 42) * 100), "avg(@duration)": String((40 * 50 + 2 * 900) / 42) },
      { "bin(5m)": "2026-11-27 11:00:00.000", coldStartPct: String((7 / 100) * 100), "avg(@duration)": String((9000 + 2800 + 6000) / 100) },
    ]);
  });

  it("pct is the smallest value whose cumulative weight reaches p % of the total, on thousands of tied values", () => {
    // Deterministic values with many ties (and a few distinct ones) and whole weights, as strata have.
    const records = Array.from({ length: 3000 }, (_, i) => {
      const value = i % 3 === 0 ? (i * 7919) % 97 : ((i * 104_729) % 1009) / 7;
      return report(T0 + (i % 60) * SECOND, value, {}, 1 + ((i * 31) % 17));
    });
    const sorted = records.map((r) => [r.get("@duration") as number, r.weight] as const).sort((a, b) => a[0] - b[0]);
    const total = sorted.reduce((sum, [, weight]) => sum + weight, 0);
    const nearestRank = (p: number) => {
      let cumulative = 0;
      for (const [value, weight] of sorted) {
        cumulative += weight;
        if (cumulative >= (p / 100) * total) return value;
      }
      return sorted.at(-1)![0];
    };
    for (const p of [0, 0.1, 25, 50, 90, 99, 99.9, 100]) {
      expect(rows(`stats pct(@duration, ${p}) as v`, records)[0]!.v).toBe(String(nearestRank(p)));
    }
    // Where p % of the weight ends exactly at a value, that value (not the next) is the answer.
    const quarters = [4, 1, 3, 2].map((durationMs) => report(T0, durationMs, {}, 25));
    const pct = (p: number) => rows(`stats pct(@duration, ${p}) as v`, quarters)[0]!.v;
    expect([0, 25, 50, 75, 100].map(pct)).toEqual(["1", "1", "2", "3", "4"]);
  });

  it("count_distinct counts values once whatever their weight", () => {
    expect(rows("stats count_distinct(@log) as logs, count_distinct(@memorySize) as sizes", WEIGHTED)).toEqual([{ logs: "2", sizes: "2" }]);
  });

  it("over no records: ungrouped stats answer one row with count 0, grouped stats no rows (as AWS)", () => {
    expect(rows('filter @type = "nothing" | stats count(*) as n, avg(@duration) as mean', WEIGHTED)).toEqual([{ n: "0" }]);
    expect(rows('filter @type = "nothing" | stats count(*) by bin(5m)', WEIGHTED)).toEqual([]);
  });

  it("sorts and limits stats rows by an aggregate column, and filters them after stats", () => {
    const query = "stats sum(@duration) as total, count(*) as n by @log | sort total desc | limit 1";
    expect(rows(query, WEIGHTED)).toEqual([{ "@log": "a", total: String(90 * 100 + 7 * 400), n: "97" }]);
    expect(rows("stats count(*) by @log | sort count(*) asc", WEIGHTED).map((r) => r["@log"])).toEqual(["a", "b"]);
    expect(rows("stats count(*) as n by @log | filter n > 100 | display @log", WEIGHTED)).toEqual([{ "@log": "b" }]);
  });
});

describe("filter", () => {
  const LINES = [
    record({ "@timestamp": T0 + 1, "@message": "START RequestId: 1", "@type": "START", n: 5 }),
    record({ "@timestamp": T0 + 2, "@message": "ERROR boom", level: "error", n: "12" }),
    record({ "@timestamp": T0 + 3, "@message": "Task timed out after 3.00 seconds", n: 100 }),
    record({ "@timestamp": T0 + 4, "@message": "report without type" }),
  ];
  const matching = (condition: string) => rows(`filter ${condition} | stats count(*) as n`, LINES)[0]!.n;

  it("compares numbers, numeric strings (parsed fields are strings) and strings", () => {
    expect(matching("n = 5")).toBe("1");
    expect(matching("n != 5")).toBe("2");
    expect(matching("n > 10")).toBe("2");
    expect(matching("n >= 12")).toBe("2");
    expect(matching("n < 12")).toBe("1");
    expect(matching("n <= 12")).toBe("2");
    expect(matching('level = "error"')).toBe("1");
    expect(matching('@type != "START"')).toBe("0");
  });

  it("a missing field makes every comparison false (it is absent, not 0)", () => {
    expect(matching("missing = 0")).toBe("0");
    expect(matching("missing != 0")).toBe("0");
    expect(matching("not ispresent(missing)")).toBe("4");
    expect(matching("ispresent(level)")).toBe("1");
  });

  it("like /regex/, like \"substring\", not like, =~, in, and/or/not with parentheses", () => {
    expect(matching("@message like /ERROR|timed out/")).toBe("2");
    expect(matching('@message like "timed out"')).toBe("1");
    expect(matching("@message not like /START/")).toBe("3");
    expect(matching("@message =~ /(?i)^REPORT/")).toBe("1");
    expect(matching("@message like /^REPORT/")).toBe("0");
    expect(matching('@type in ["START", "END"]')).toBe("1");
    expect(matching("n not in [5, 100]")).toBe("1");
    expect(matching("(n > 10 or @type = \"START\") and not @message like /Task/")).toBe("2");
  });
});

describe("fields, functions and parse", () => {
  const LINE = [record({ "@timestamp": T0, "@message": "user=alice latency=12.5ms status=200", "@duration": 12.5, count: 7 })];

  it("arithmetic and the scalar functions", () => {
    const result = rows(
      "fields @duration * 2 as a, count % 4 as b, 2 ^ 10 as c, count / 0 as d, abs(-3) as e, floor(2.7) as f, ceil(2.1) as g, " +
        'concat("x", count, "y") as h, strlen("abcd") as i, tolower("AbC") as j, toupper("AbC") as k, coalesce(missing, count) as l, ' +
        'strcontains(@message, "alice") as m, strcontains(@message, "bob") as n, ispresent(missing) as o',
      LINE,
    );
    // count / 0 has no value: the field is absent from the row.
    expect(result).toEqual([{ a: "25", b: "3", c: "1024", e: "3", f: "2", g: "3", h: "x7y", i: "4", j: "abc", k: "ABC", l: "7", m: "1", n: "0", o: "false" }]);
  });

  it("parse with a glob and with named groups; unmatched lines keep the fields absent", () => {
    expect(rows('parse @message "user=* latency=*ms" as user, latency | fields user, latency * 2 as doubled', LINE)).toEqual([
      { user: "alice", doubled: "25" },
    ]);
    expect(rows("parse @message /status=(?<status>\\d+)/ | filter status = 200 | display status", LINE)).toEqual([{ status: "200" }]);
    expect(rows('parse @message "nothing=*" as x | filter ispresent(x) | stats count(*) as n', LINE)).toEqual([{ n: "0" }]);
  });
});

describe("rows of non-stats queries", () => {
  const many = Array.from({ length: 1005 }, (_, i) => record({ "@timestamp": T0 + i * SECOND, "@message": `line ${i}`, n: i % 3 === 0 ? undefined : i }));

  it("default to @timestamp and @message, newest first, 1,000 rows", () => {
    const result = rows("filter ispresent(@message)", many);
    expect(result).toHaveLength(1000);
    expect(result[0]).toEqual({ "@timestamp": "2026-11-27 11:16:44.000", "@message": "line 1004" });
    expect(result[999]!["@message"]).toBe("line 5");
  });

  it("sort @timestamp asc reads oldest first; limit and the request's limit cap the rows", () => {
    expect(rows("sort @timestamp asc | limit 2", many)).toEqual([
      { "@timestamp": "2026-11-27 11:00:00.000", "@message": "line 0" },
      { "@timestamp": "2026-11-27 11:00:01.000", "@message": "line 1" },
    ]);
    expect(rows("fields @message", many, 3).map((r) => r["@message"])).toEqual(["line 1004", "line 1003", "line 1002"]);
  });

  it("sort by a field puts absent values last in both directions", () => {
    const few = many.slice(0, 7);
    expect(rows("sort n desc | fields @message, n", few).map((r) => r["@message"])).toEqual(["line 5", "line 4", "line 2", "line 1", "line 6", "line 3", "line 0"]);
    expect(rows("sort n asc | fields @message, n", few).map((r) => r["@message"])).toEqual(["line 1", "line 2", "line 4", "line 5", "line 6", "line 3", "line 0"]);
  });

  it("display picks the columns; dedup keeps the first row per key", () => {
    const lines = [
      record({ "@timestamp": T0 + 3, "@message": "a", kind: "x" }),
      record({ "@timestamp": T0 + 2, "@message": "b", kind: "y" }),
      record({ "@timestamp": T0 + 1, "@message": "c", kind: "x" }),
    ];
    expect(rows("dedup kind | display @message", lines)).toEqual([{ "@message": "a" }, { "@message": "b" }]);
  });
});

describe("which records a query needs", () => {
  it("allows weighted records only for stats that read no per-line detail", () => {
    const weighted = (query: string) => compileQuery(query).weightedAllowed;
    expect(weighted('filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration"))/count(*) * 100, avg(@duration) by bin(5m)')).toBe(true);
    expect(weighted("stats pct(@duration, 99), avg(@maxMemoryUsed / 1000 / 1000) by @log, bin(1h)")).toBe(true);
    expect(weighted("fields @timestamp, @message | limit 20")).toBe(false);
    expect(weighted("stats count_distinct(@requestId)")).toBe(false);
    expect(weighted("filter @logStream like /LATEST/ | stats count(*)")).toBe(false);
    expect(weighted("fields @requestId as id | stats count(*) by id")).toBe(false);
    expect(weighted("stats count(*) by bin(30s)")).toBe(false);
    expect(weighted("stats max(@timestamp)")).toBe(false);
    expect(weighted("stats count(*) by @duration")).toBe(false);
    expect(weighted('parse @message "RequestId: *\\t" as id | stats count(*) by id')).toBe(false);
    expect(weighted("limit 10 | stats count(*)")).toBe(false);
  });

  it("allows a parse of @logStream that reads only its date and [version]", () => {
    const weighted = (query: string) => compileQuery(query).weightedAllowed;
    expect(weighted("parse @logStream /\\[(?<version>[^\\]]+)\\]/ | stats count(*) by @log, version")).toBe(true);
    expect(weighted('parse @logStream "*/[*]" as date, version | stats count(*) by date, version')).toBe(true);
    expect(weighted("parse @logStream /^(?<year>\\d{4})\\// | stats count(*) by year")).toBe(true);
    // Only numbered versions match; $LATEST lines leave `version` unset (absent), which weighted records reproduce.
    expect(weighted("parse @logStream /\\[(?<version>\\d+)\\]/ | stats count(*) by version")).toBe(true);
    // The environment id (the 32 hex digits) is per line.
    expect(weighted('parse @logStream "*/[*]*" as date, version, environment | stats count(*) by version')).toBe(false);
    expect(weighted("parse @logStream /\\](?<first>[0-7])/ | stats count(*) by first")).toBe(false);
    expect(weighted("parse @logStream /\\[(?<version>[^\\]]+)\\](?<id>\\w{4})/ | stats count(*) by version")).toBe(false);
    // @logStream itself stays per line.
    expect(weighted("parse @logStream /\\[(?<version>[^\\]]+)\\]/ | stats count(*) by @logStream")).toBe(false);
    // A field a per-line parse set stays per line where the stream parse leaves it alone ($LATEST).
    expect(weighted("parse @message /RequestId: (?<v>\\S+)/ | parse @logStream /\\[(?<v>\\d+)\\]/ | stats count(*) by v")).toBe(false);
    expect(weighted("parse @message /RequestId: (?<v>\\S+)/ | parse @logStream /\\[(?<v>[^\\]]+)\\]/ | stats count(*) by v")).toBe(true);
  });
});
