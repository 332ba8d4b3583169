import { describe, expect, it } from "vitest";
import type { Command, Expr } from "@/infra/local/sim/logs/insights/ast";
import { compileQuery } from "@/infra/local/sim/logs/insights/compile-query";
import { MalformedQueryError } from "@/infra/local/sim/logs/insights/malformed-query-error";
import { parseQuery } from "@/infra/local/sim/logs/insights/parser";

/** The Logs Insights parser: every construct the simulator interprets, and where errors point. */

/** An expression as compact text, so tree shapes (precedence, grouping) read at a glance. */
function show(expr: Expr): string {
  switch (expr.kind) {
    case "field":
      return expr.name;
    case "number":
      return String(expr.value);
    case "string":
      return JSON.stringify(expr.value);
    case "regex":
      return `/${expr.regex.source}/${expr.regex.flags.replace("s", "")}`;
    case "duration":
      return `${expr.ms}ms`;
    case "star":
      return "*";
    case "unary":
      return `(${expr.op} ${show(expr.operand)})`;
    case "binary":
      return `(${show(expr.left)} ${expr.op} ${show(expr.right)})`;
    case "like":
      return `(${show(expr.operand)} ${expr.negated ? "not like" : "like"} ${show(expr.pattern)})`;
    case "in":
      return `(${show(expr.operand)} ${expr.negated ? "not in" : "in"} [${expr.list.map(show).join(", ")}])`;
    case "call":
      return `${expr.name}(${expr.args.map(show).join(", ")})`;
  }
}

function only<K extends Command["kind"]>(query: string, kind: K): Extract<Command, { kind: K }> {
  const commands = parseQuery(query).commands;
  expect(commands).toHaveLength(1);
  expect(commands[0]!.kind).toBe(kind);
  return commands[0] as Extract<Command, { kind: K }>;
}

const filterOf = (condition: string) => show(only(`filter ${condition}`, "filter").expr);

describe("commands", () => {
  it("splits commands on | and keeps their order", () => {
    const query = parseQuery('fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 20');
    expect(query.commands.map((c) => c.kind)).toEqual(["fields", "filter", "sort", "limit"]);
  });

  it("fields and display: expressions with `as` aliases, unaliased ones named by their source text", () => {
    const fields = only("fields @timestamp, @duration / 1000 as seconds, concat(@log, '!')", "fields");
    expect(fields.items.map((item) => item.name)).toEqual(["@timestamp", "seconds", "concat(@log, '!')"]);
    expect(show(fields.items[1]!.expr)).toBe("(@duration / 1000)");
    expect(only("display @message, x", "display").items.map((item) => item.name)).toEqual(["@message", "x"]);
  });

  it("stats: aggregates with aliases, by fields and bin() with every time unit", () => {
    const stats = only("stats count(*) as n, avg(@duration), pct(@duration, 99) by bin(5m), @log", "stats");
    expect(stats.items.map((item) => item.name)).toEqual(["n", "avg(@duration)", "pct(@duration, 99)"]);
    expect(stats.items.map((item) => show(item.expr))).toEqual(["count(*)", "avg(@duration)", "pct(@duration, 99)"]);
    expect(stats.by.map((item) => item.name)).toEqual(["bin(5m)", "@log"]);
    const units: [string, number][] = [["100ms", 100], ["30s", 30_000], ["5m", 300_000], ["2h", 7_200_000], ["1d", 86_400_000], ["15min", 900_000], ["1hr", 3_600_000]];
    for (const [text, ms] of units) {
      expect(show(only(`stats count() by bin(${text})`, "stats").by[0]!.expr)).toBe(`bin(${ms}ms)`);
    }
  });

  it("sort keys with asc/desc (ascending when omitted), limit, dedup", () => {
    const sort = only("sort count(*) desc, @log asc, x", "sort");
    expect(sort.keys.map((k) => [k.name, k.descending])).toEqual([["count(*)", true], ["@log", false], ["x", false]]);
    expect(only("limit 25", "limit").count).toBe(25);
    expect(only("dedup @requestId, @type", "dedup").fields.map((f) => f.name)).toEqual(["@requestId", "@type"]);
  });

  it("parse with a glob (one capture per *) and with named regex groups", () => {
    const glob = only('parse @message "Duration: * ms\\tBilled Duration: * ms" as duration, billed', "parse");
    expect(glob.pattern.names).toEqual(["duration", "billed"]);
    expect(glob.pattern.regex.exec("REPORT x\tDuration: 12.5 ms\tBilled Duration: 13 ms\t")?.slice(1)).toEqual(["12.5", "13"]);
    const regex = only("parse @message /user=(?<user>\\w+) took (?<latency>\\d+)/", "parse");
    expect(regex.pattern.names).toEqual(["user", "latency"]);
    expect(show(only('parse "x=*" as x', "parse").source)).toBe("@message");
  });

  it("skips # comments", () => {
    expect(parseQuery("# cold starts\nfilter @type = \"REPORT\" # only reports\n| stats count(*)").commands.map((c) => c.kind)).toEqual(["filter", "stats"]);
  });
});

describe("expressions", () => {
  it("arithmetic precedence: * / % bind tighter than + -, ^ tighter still and right-associative", () => {
    expect(show(only("fields a + b * c - d / e % f", "fields").items[0]!.expr)).toBe("((a + (b * c)) - ((d / e) % f))");
    expect(show(only("fields 2 ^ 3 ^ 2", "fields").items[0]!.expr)).toBe("(2 ^ (3 ^ 2))");
    expect(show(only("fields -x * 2", "fields").items[0]!.expr)).toBe("((- x) * 2)");
    expect(show(only("fields (a + b) * c", "fields").items[0]!.expr)).toBe("((a + b) * c)");
  });

  it("boolean precedence: not > and > or, comparisons below arithmetic", () => {
    expect(filterOf("not a = 1 or b > 2 and c <= 3")).toBe("((not (a = 1)) or ((b > 2) and (c <= 3)))");
    expect(filterOf("(a != 1 or b >= 2) and c < 3")).toBe("(((a != 1) or (b >= 2)) and (c < 3))");
    expect(filterOf("@duration / 1000 > 2")).toBe("((@duration / 1000) > 2)");
  });

  it("like with a regex or a string, not like, =~, in and not in", () => {
    expect(filterOf("@message like /ERROR|Task timed out/")).toBe("(@message like /ERROR|Task timed out/)");
    expect(filterOf('@message like "Init Duration"')).toBe('(@message like "Init Duration")');
    expect(filterOf("@message not like /START/")).toBe("(@message not like /START/)");
    expect(filterOf("@message =~ /(?i)report/")).toBe("(@message like /report/i)");
    expect(filterOf('@type in ["START", "END"]')).toBe('(@type in ["START", "END"])');
    expect(filterOf("@memorySize not in [128, 256]")).toBe("(@memorySize not in [128, 256])");
  });

  it("tells a regex from a division by what precedes the slash", () => {
    expect(show(only("fields @maxMemoryUsed / 1000 / 1000 as mb", "fields").items[0]!.expr)).toBe("((@maxMemoryUsed / 1000) / 1000)");
    expect(filterOf("@message like /a\\/b/")).toBe("(@message like /a\\/b/)");
    expect(show(only("stats sum(x) / count(*)", "stats").items[0]!.expr)).toBe("(sum(x) / count(*))");
  });

  it("functions, strings with escapes, backquoted field names and ispresent", () => {
    expect(filterOf('strcontains(@message, "a\\"b") and ispresent(`my field`)')).toBe('(strcontains(@message, "a\\"b") and ispresent(my field))');
    expect(filterOf("coalesce(x, 0) = abs(-1)")).toBe("(coalesce(x, 0) = abs((- 1)))");
  });
});

describe("errors name the problem and its position", () => {
  const cases: { query: string; start: number; end: number; problem: RegExp }[] = [
    { query: "", start: 0, end: 0, problem: /empty/ },
    { query: "fields", start: 6, end: 6, problem: /fields needs at least one field/ },
    { query: "filter @type = | stats count(*)", start: 15, end: 16, problem: /Unexpected "\|": expected a field, value or function/ },
    { query: "stats count(*) by", start: 17, end: 17, problem: /by needs at least one field/ },
    { query: "frobnicate x", start: 0, end: 10, problem: /Unknown command "frobnicate"/ },
    { query: "limit 0", start: 6, end: 7, problem: /whole number from 1 to 10000/ },
    { query: "limit 10001", start: 6, end: 11, problem: /whole number/ },
    { query: "filter x like", start: 13, end: 13, problem: /expected a \/regex\/ or a "string"/ },
    { query: "filter x = 'abc", start: 11, end: 15, problem: /Unterminated string/ },
    { query: "filter @message like /(/", start: 21, end: 24, problem: /Invalid regular expression/ },
    { query: "fields @timestamp @message", start: 18, end: 26, problem: /expected "\|" or the end of the query/ },
    { query: 'parse @message "a * b *" as x', start: 15, end: 24, problem: /2 wildcard\(s\) but 1 field name/ },
    { query: "parse @message /no groups/", start: 15, end: 26, problem: /named groups/ },
    { query: "stats count() by bin(5x)", start: 22, end: 23, problem: /Unknown time unit "x"/ },
    { query: "filter in [1]", start: 7, end: 9, problem: /Unexpected keyword "in"/ },
    { query: "filter x in [1, 2", start: 17, end: 17, problem: /expected "," or "]"/ },
    { query: "stats count(*", start: 13, end: 13, problem: /expected "," or "\)" in the arguments of count/ },
  ];
  for (const { query, start, end, problem } of cases) {
    it(`${JSON.stringify(query)} → [${start}, ${end}) ${problem.source}`, () => {
      let error: unknown;
      try {
        parseQuery(query);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MalformedQueryError);
      const malformed = error as MalformedQueryError;
      expect(malformed.problem).toMatch(problem);
      expect(malformed.span).toEqual({ start, end });
      expect(malformed.message).toContain(`at line 1 and position ${start + 1}`);
    });
  }

  it("counts lines and positions within the line for multi-line queries", () => {
    const error = (() => {
      try {
        parseQuery("fields @timestamp\n| filter @x = ");
      } catch (caught) {
        return caught as MalformedQueryError;
      }
      throw new Error("expected a parse error");
    })();
    // "| filter @x = " is 14 characters: the missing value is expected at the 15th.
    expect(error.span.start).toBe(32);
    expect(error.message).toMatch(/at line 2 and position 15$/);
  });

  it("compile-time errors: unknown functions, aggregates outside stats, bare fields in stats, a second stats", () => {
    const problem = (query: string) => {
      try {
        compileQuery(query);
      } catch (caught) {
        return caught instanceof MalformedQueryError ? [caught.problem, caught.span.start, caught.span.end] : caught;
      }
      return undefined;
    };
    expect(problem("filter foo(1)")).toEqual(["Unknown function foo()", 7, 10]);
    expect(problem("fields count(*)")).toEqual(["The aggregate function count() can only be used in stats", 7, 12]);
    expect(problem("stats @duration")).toEqual([expect.stringContaining("needs an aggregate function"), 6, 15]);
    expect(problem("stats avg(@duration) + @duration")).toEqual([expect.stringContaining("must be inside an aggregate function"), 23, 32]);
    expect(problem("stats count(*) | stats count(*)")).toEqual([expect.stringContaining("Only one stats command"), 17, 31]);
    expect(problem("stats pct(@duration, 101)")).toEqual([expect.stringContaining("percentile from 0 to 100"), 21, 24]);
    expect(problem("stats count(*) by bin(@timestamp)")).toEqual([expect.stringContaining("bin() takes a time span"), 18, 33]);
    expect(problem("fields strlen()")).toEqual(["strlen() takes 1 argument(s), not 0", 7, 15]);
  });
});
