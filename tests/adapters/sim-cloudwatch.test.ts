import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  paginateGetMetricData,
  paginateListMetrics,
  type Metric,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulated CloudWatch GetMetricData driven by the real SDK client. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30); // a Friday, 30 s into the minute
const END = new Date(Date.UTC(2026, 10, 27, 12, 0));
const START = new Date(END.getTime() - 24 * 3_600_000);
const FUNCTIONS = scenario.functions.map((f) => f.name);
/** The 7 metric-stats a collector asks for per function. */
const METRIC_STATS: readonly [string, string][] = [
  ["Invocations", "Sum"],
  ["Errors", "Sum"],
  ["Throttles", "Sum"],
  ["Duration", "p50"],
  ["Duration", "p90"],
  ["Duration", "p99"],
  ["ConcurrentExecutions", "Maximum"],
];

let sim: Awaited<ReturnType<typeof startSimulator>>;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW });
  cloudwatch = new CloudWatchClient({
    endpoint: sim.url,
    region: scenario.account.region,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  cloudwatch?.destroy();
  await sim?.close();
});

function query(id: string, functionName: string, metricName: string, stat: string, period = 60): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: "AWS/Lambda", MetricName: metricName, Dimensions: [{ Name: "FunctionName", Value: functionName }] },
      Period: period,
      Stat: stat,
    },
  };
}

/** Every function × the 7 metric-stats, ids q0..qN in a stable order. */
function fleetQueries(): MetricDataQuery[] {
  return FUNCTIONS.flatMap((fn) => METRIC_STATS.map(([metric, stat]) => ({ fn, metric, stat }))).map(({ fn, metric, stat }, i) =>
    query(`q${i}`, fn, metric, stat),
  );
}

async function fetchAllPages(input: GetMetricDataCommandInput, pageSize?: number) {
  const pages: MetricDataResult[][] = [];
  const paginatorConfig = pageSize === undefined ? { client: cloudwatch } : { client: cloudwatch, pageSize };
  // The SDK paginator writes NextToken into the input it is given: hand it a copy.
  for await (const page of paginateGetMetricData(paginatorConfig, { ...input })) pages.push(page.MetricDataResults ?? []);
  return pages;
}

/** Reassembles paged results per Id as "timestamp=value" strings (duplicates stay visible). */
function mergeById(pages: MetricDataResult[][]): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const page of pages) {
    for (const result of page) {
      const points = merged.get(result.Id!) ?? [];
      result.Timestamps!.forEach((t, i) => points.push(`${t.getTime() / 1000}=${result.Values![i]}`));
      merged.set(result.Id!, points);
    }
  }
  return merged;
}

function valuesByTimestamp(result: MetricDataResult | undefined): Map<number, number> {
  const map = new Map<number, number>();
  result?.Timestamps?.forEach((t, i) => map.set(t.getTime() / 1000, result.Values![i]!));
  return map;
}

describe("GetMetricData pagination", () => {
  it("24 h × every function × 7 metric-stats exceeds 100,800 datapoints and pages by NextToken without loss or duplicates", async () => {
    const queries = fleetQueries();
    const pages = await fetchAllPages({ StartTime: START, EndTime: END, MetricDataQueries: queries, ScanBy: "TimestampAscending" });
    const merged = mergeById(pages);
    const total = [...merged.values()].reduce((sum, points) => sum + points.length, 0);
    expect(total).toBeGreaterThan(100_800);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const firstPageCount = pages[0]!.reduce((sum, r) => sum + r.Values!.length, 0);
    expect(firstPageCount).toBe(100_800);

    // Reference: the same queries asked 7 at a time, each call small enough for a single page.
    for (let i = 0; i < queries.length; i += 7) {
      const batch = queries.slice(i, i + 7);
      const single = await cloudwatch.send(
        new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: batch, ScanBy: "TimestampAscending" }),
      );
      expect(single.NextToken).toBeUndefined();
      for (const result of single.MetricDataResults!) {
        const expected = result.Timestamps!.map((t, k) => `${t.getTime() / 1000}=${result.Values![k]}`);
        expect(merged.get(result.Id!)).toEqual(expected);
        expect(new Set(expected).size).toBe(expected.length);
      }
    }
  });

  it("a small MaxDatapoints pages one query and marks unfinished results PartialData", async () => {
    const input = { StartTime: START, EndTime: END, MetricDataQueries: [query("inv", "orders-api", "Invocations", "Sum")] };
    const first = await cloudwatch.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 100 }));
    expect(first.MetricDataResults![0]!.Values).toHaveLength(100);
    expect(first.MetricDataResults![0]!.StatusCode).toBe("PartialData");
    expect(first.NextToken).toBeTypeOf("string");

    const pages = await fetchAllPages(input, 500);
    const lastPage = pages.at(-1)!;
    expect(lastPage[0]!.StatusCode).toBe("Complete");
    const merged = mergeById(pages).get("inv")!;
    const unpaged = await cloudwatch.send(new GetMetricDataCommand(input));
    expect(merged).toHaveLength(unpaged.MetricDataResults![0]!.Values!.length);
    expect(new Set(merged).size).toBe(merged.length);
  });

  it("a NextToken from another request is rejected as InvalidNextToken", async () => {
    const first = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: START, EndTime: END, MaxDatapoints: 10, MetricDataQueries: [query("a", "orders-api", "Invocations", "Sum")] }),
    );
    const error = await cloudwatch
      .send(new GetMetricDataCommand({ StartTime: START, EndTime: END, NextToken: first.NextToken, MetricDataQueries: [query("b", "users-api", "Invocations", "Sum")] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidNextToken", $metadata: { httpStatusCode: 400 } });
  });
});

describe("GetMetricData limits and errors", () => {
  it("more than 500 queries is a 400 InvalidParameterValue, answered once (no retries)", async () => {
    const queries = Array.from({ length: 501 }, (_, i) => query(`q${i}`, "orders-api", "Invocations", "Sum"));
    const error = await cloudwatch.send(new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: queries })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidParameterValueException",
      Code: "InvalidParameterValue",
      $fault: "client",
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect((error as Error).message).toContain("500");
  });

  it("exactly 500 queries is accepted", async () => {
    const queries = Array.from({ length: 500 }, (_, i) => query(`q${i}`, FUNCTIONS[i % FUNCTIONS.length]!, "Invocations", "Sum", 3600));
    const output = await cloudwatch.send(new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: queries }));
    expect(output.MetricDataResults).toHaveLength(500);
  });

  it("StartTime not before EndTime is a 400", async () => {
    const error = await cloudwatch
      .send(new GetMetricDataCommand({ StartTime: END, EndTime: END, MetricDataQueries: [query("a", "orders-api", "Invocations", "Sum")] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
  });

  it("a Period that is not a multiple of 60 and an unknown statistic are 400s", async () => {
    const badPeriod = await cloudwatch
      .send(new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: [query("a", "orders-api", "Invocations", "Sum", 90)] }))
      .catch((e: unknown) => e);
    expect(badPeriod).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const badStat = await cloudwatch
      .send(new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: [query("a", "orders-api", "Invocations", "Median")] }))
      .catch((e: unknown) => e);
    expect(badStat).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
  });

  it("unknown functions and metrics have no datapoints and are Complete", async () => {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: START,
        EndTime: END,
        MetricDataQueries: [query("nofn", "no-such-function", "Invocations", "Sum"), query("nometric", "orders-api", "Bananas", "Sum")],
      }),
    );
    for (const result of output.MetricDataResults!) {
      expect(result.Values).toEqual([]);
      expect(result.StatusCode).toBe("Complete");
    }
  });
});

describe("GetMetricData values", () => {
  it("Invocations and Errors Sum over 3600 s equal the sums of their 60 s values hour by hour", async () => {
    for (const fn of ["orders-api", "notifications-worker", "legacy-report-generator"]) {
      const output = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: START,
          EndTime: END,
          ScanBy: "TimestampAscending",
          MetricDataQueries: [
            query("m", fn, "Invocations", "Sum"),
            query("h", fn, "Invocations", "Sum", 3600),
            query("em", fn, "Errors", "Sum"),
            query("eh", fn, "Errors", "Sum", 3600),
          ],
        }),
      );
      const [minutes, hours, errorMinutes, errorHours] = output.MetricDataResults!.map(valuesByTimestamp);
      expect(hours!.size).toBeGreaterThan(0);
      for (const [minuteMap, hourMap] of [[minutes!, hours!], [errorMinutes!, errorHours!]] as const) {
        for (const [hourStart, hourValue] of hourMap) {
          let sum = 0;
          for (const [t, v] of minuteMap) if (t >= hourStart && t < hourStart + 3600) sum += v;
          expect(hourValue).toBe(sum);
        }
      }
    }
  });

  it("Duration p50 ≤ p90 ≤ p99 ≤ Maximum and Errors ≤ Invocations for every minute", async () => {
    const fn = "payments-api";
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: START,
        EndTime: END,
        MetricDataQueries: [
          query("p50", fn, "Duration", "p50"),
          query("p90", fn, "Duration", "p90"),
          query("p99", fn, "Duration", "p99"),
          query("max", fn, "Duration", "Maximum"),
          query("inv", fn, "Invocations", "Sum"),
          query("err", fn, "Errors", "Sum"),
        ],
      }),
    );
    const [p50, p90, p99, max, inv, err] = output.MetricDataResults!.map(valuesByTimestamp);
    expect(p50!.size).toBeGreaterThan(1000);
    for (const [t, v] of p50!) {
      expect(v).toBeLessThanOrEqual(p90!.get(t)!);
      expect(p90!.get(t)!).toBeLessThanOrEqual(p99!.get(t)!);
      expect(p99!.get(t)!).toBeLessThanOrEqual(max!.get(t)!);
      expect(err!.get(t)!).toBeLessThanOrEqual(inv!.get(t)!);
    }
  });

  it("never returns datapoints for the minute in progress or the one just completed", async () => {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 3_600_000),
        EndTime: new Date(NOW + 3_600_000),
        MetricDataQueries: [query("inv", "users-api", "Invocations", "Sum"), query("hourly", "users-api", "Invocations", "Sum", 3600)],
      }),
    );
    const latestAllowed = Date.UTC(2026, 10, 27, 11, 58) / 1000;
    const minutes = output.MetricDataResults![0]!.Timestamps!.map((t) => t.getTime() / 1000);
    expect(Math.max(...minutes)).toBe(latestAllowed);
    for (const result of output.MetricDataResults!) {
      for (const t of result.Timestamps!) expect(t.getTime()).toBeLessThan(NOW - 60_000);
    }
  });

  it("orders timestamps newest first by default and oldest first on request", async () => {
    const end = new Date(END.getTime() - 600_000);
    const input = { StartTime: new Date(end.getTime() - 600_000), EndTime: end, MetricDataQueries: [query("inv", "users-api", "Invocations", "Sum")] };
    const descending = (await cloudwatch.send(new GetMetricDataCommand(input))).MetricDataResults![0]!.Timestamps!.map((t) => t.getTime());
    const ascending = (await cloudwatch.send(new GetMetricDataCommand({ ...input, ScanBy: "TimestampAscending" }))).MetricDataResults![0]!.Timestamps!.map((t) => t.getTime());
    expect(descending).toHaveLength(10);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(ascending).toEqual([...descending].reverse());
  });

  it("the account-wide series (no dimensions) is the sum of the functions", async () => {
    const window = { StartTime: new Date(END.getTime() - 3_600_000), EndTime: END };
    const account = await cloudwatch.send(
      new GetMetricDataCommand({
        ...window,
        MetricDataQueries: [{ Id: "all", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations" }, Period: 3600, Stat: "Sum" } }],
      }),
    );
    const perFunction = await cloudwatch.send(
      new GetMetricDataCommand({ ...window, MetricDataQueries: FUNCTIONS.map((fn, i) => query(`f${i}`, fn, "Invocations", "Sum", 3600)) }),
    );
    const sum = perFunction.MetricDataResults!.reduce((acc, r) => acc + (r.Values![0] ?? 0), 0);
    expect(sum).toBeGreaterThan(0);
    expect(account.MetricDataResults![0]!.Values).toEqual([sum]);
  });
});

describe("provisioned concurrency and account metrics", () => {
  /** 18:00–20:00 UTC on the Friday before NOW: the evening peak. */
  const PEAK = { StartTime: new Date(Date.UTC(2026, 10, 26, 18, 0)), EndTime: new Date(Date.UTC(2026, 10, 26, 20, 0)) };
  const resourceQuery = (id: string, fn: string, resource: string, metric: string, stat: string, period = 60): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: fn }, { Name: "Resource", Value: resource }] },
      Period: period,
      Stat: stat,
    },
  });

  it("orders-api (4 provisioned on live) spills over at the evening peak: provisioned + spillover = invocations", async () => {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        ...PEAK,
        MetricDataQueries: [
          resourceQuery("inv", "orders-api", "orders-api:live", "Invocations", "Sum", 3600),
          resourceQuery("pc", "orders-api", "orders-api:live", "ProvisionedConcurrencyInvocations", "Sum", 3600),
          resourceQuery("spill", "orders-api", "orders-api:live", "ProvisionedConcurrencySpilloverInvocations", "Sum", 3600),
          resourceQuery("util", "orders-api", "orders-api:live", "ProvisionedConcurrencyUtilization", "Maximum", 3600),
        ],
      }),
    );
    const [inv, pc, spill, util] = output.MetricDataResults!.map((r) => r.Values!);
    expect(inv).toHaveLength(2);
    inv!.forEach((total, hour) => {
      expect(pc![hour]! + spill![hour]!).toBe(total);
      expect(spill![hour]!).toBeGreaterThan(0);
    });
    // At peak all four provisioned environments are busy at some second.
    expect(Math.max(...util!)).toBe(1);
  });

  it("payments-api's 50 provisioned executions stay mostly idle even at peak, and it never spills over", async () => {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        ...PEAK,
        MetricDataQueries: [
          query("util", "payments-api", "ProvisionedConcurrencyUtilization", "Maximum", 3600),
          query("avg", "payments-api", "ProvisionedConcurrencyUtilization", "Average", 3600),
          query("spill", "payments-api", "ProvisionedConcurrencySpilloverInvocations", "Sum", 3600),
          query("busy", "payments-api", "ProvisionedConcurrentExecutions", "Maximum", 3600),
        ],
      }),
    );
    const [util, average, spill, busy] = output.MetricDataResults!.map((r) => r.Values!);
    for (const value of util!) expect(value).toBeLessThan(0.5);
    for (const value of average!) expect(value).toBeLessThan(0.3);
    expect(spill).toEqual([0, 0]);
    for (const value of busy!) expect(value).toBeLessThanOrEqual(50);
  });

  it("functions without provisioned concurrency publish no provisioned metrics", async () => {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({ ...PEAK, MetricDataQueries: [query("pc", "users-api", "ProvisionedConcurrencyInvocations", "Sum", 3600)] }),
    );
    expect(output.MetricDataResults![0]!.Values).toEqual([]);
  });

  it("ClaimedAccountConcurrency counts every reserved execution and stays within the regional limit", async () => {
    const reserved = scenario.functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        ...PEAK,
        MetricDataQueries: [{ Id: "claimed", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "ClaimedAccountConcurrency" }, Period: 60, Stat: "Maximum" } }],
      }),
    );
    const values = output.MetricDataResults![0]!.Values!;
    expect(values).toHaveLength(120);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(reserved);
      expect(value).toBeLessThanOrEqual(scenario.account.concurrentExecutionsLimit);
    }
  });

  it("a client signed for another region sees no functions there", async () => {
    const elsewhere = new CloudWatchClient({ endpoint: sim.url, region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" }, maxAttempts: 1 });
    try {
      const output = await elsewhere.send(new GetMetricDataCommand({ ...PEAK, MetricDataQueries: [query("inv", "orders-api", "Invocations", "Sum", 3600)] }));
      expect(output.MetricDataResults![0]!.Values).toEqual([]);
    } finally {
      elsewhere.destroy();
    }
  });
});

describe("ListMetrics", () => {
  it("lists the per-function, per-alias, provisioned and account-wide AWS/Lambda metrics", async () => {
    const metrics: Metric[] = [];
    for await (const page of paginateListMetrics({ client: cloudwatch }, { Namespace: "AWS/Lambda" })) metrics.push(...(page.Metrics ?? []));
    const keys = new Set(metrics.map((m) => `${m.MetricName}|${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(",")}`));
    for (const fn of FUNCTIONS) expect(keys.has(`Invocations|FunctionName=${fn}`)).toBe(true);
    expect(keys.has("Invocations|FunctionName=payments-api,Resource=payments-api:live")).toBe(true);
    expect(keys.has("ProvisionedConcurrencyUtilization|FunctionName=orders-api,Resource=orders-api:live")).toBe(true);
    expect(keys.has("ProvisionedConcurrencyUtilization|FunctionName=users-api")).toBe(false);
    expect(keys.has("UnreservedConcurrentExecutions|")).toBe(true);
    expect(keys.has("ClaimedAccountConcurrency|")).toBe(true);
  });

  it("filters by metric name and dimension, and pages when pages are truncated", async () => {
    sim.faults.set([{ kind: "truncated-pages", service: "cloudwatch", pageSize: 3 }]);
    try {
      const pages: Metric[][] = [];
      for await (const page of paginateListMetrics({ client: cloudwatch }, { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName" }] })) {
        pages.push(page.Metrics ?? []);
      }
      const names = pages.flat().map((m) => m.Dimensions!.find((d) => d.Name === "FunctionName")!.Value);
      expect(pages.every((page) => page.length <= 3)).toBe(true);
      // Aliased functions appear twice (FunctionName alone, and with Resource).
      const aliased = scenario.functions.filter((fn) => fn.aliases.length > 0).length;
      expect(names).toHaveLength(FUNCTIONS.length + aliased);
      expect(new Set(names)).toEqual(new Set(FUNCTIONS));
    } finally {
      sim.faults.set([]);
    }
  });
});

describe("GetMetricStatistics", () => {
  const fn = "payments-api";
  const byName = [{ Name: "FunctionName", Value: fn }];
  // The minute just completed is not published yet: windows end a minute before END, so an hour holds 60 datapoints.
  const end = new Date(END.getTime() - 60_000);
  const hourStart = new Date(end.getTime() - 3_600_000);

  /** The same series through GetMetricData, keyed by epoch seconds. */
  async function viaGetMetricData(metricName: string, stats: readonly string[], period: number, start = hourStart) {
    const output = await cloudwatch.send(
      new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: stats.map((stat, i) => query(`s${i}`, fn, metricName, stat, period)) }),
    );
    return new Map(stats.map((stat, i) => [stat, valuesByTimestamp(output.MetricDataResults![i])]));
  }

  it("answers one metric's statistics with the same values GetMetricData gives for the same buckets", async () => {
    for (const [period, start] of [[60, hourStart], [3600, START]] as const) {
      const simple = ["Average", "Maximum", "Minimum", "SampleCount", "Sum"] as const;
      const expected = await viaGetMetricData("Duration", [...simple, "p50", "p99"], period, start);
      const base = { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: byName, StartTime: start, EndTime: end, Period: period };
      const plain = await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Statistics: [...simple] }));
      const percentiles = await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: ["p50", "p99"] }));
      expect(plain.Label).toBe("Duration");
      expect(plain.Datapoints!.length).toBe(expected.get("Average")!.size);
      expect(plain.Datapoints!.length).toBe(period === 60 ? 60 : 24);
      for (const point of plain.Datapoints!) {
        const t = point.Timestamp!.getTime() / 1000;
        expect(point.Unit).toBe("Milliseconds");
        for (const stat of simple) expect(point[stat]).toBe(expected.get(stat)!.get(t));
      }
      expect(percentiles.Datapoints!.length).toBe(expected.get("p50")!.size);
      for (const point of percentiles.Datapoints!) {
        const t = point.Timestamp!.getTime() / 1000;
        expect(point.ExtendedStatistics).toEqual({ p50: expected.get("p50")!.get(t), p99: expected.get("p99")!.get(t) });
        expect(point.Average).toBeUndefined();
      }
    }
  });

  it("returns datapoints in no chronological order, as documented", async () => {
    const output = await cloudwatch.send(
      new GetMetricStatisticsCommand({ Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: byName, StartTime: hourStart, EndTime: end, Period: 60, Statistics: ["Sum"] }),
    );
    const times = output.Datapoints!.map((p) => p.Timestamp!.getTime());
    expect(times).toHaveLength(60);
    expect(times).not.toEqual([...times].sort((a, b) => a - b));
    expect(times).not.toEqual([...times].sort((a, b) => b - a));
    expect(output.Datapoints!.every((p) => p.Unit === "Count")).toBe(true);
  });

  it("1,440 datapoints is the most one call may ask for: 1,441 is a 400 InvalidParameterCombination", async () => {
    const base = { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: byName, Period: 60, Statistics: ["Sum" as const], EndTime: end };
    const full = await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, StartTime: new Date(end.getTime() - 1_440 * 60_000) }));
    expect(full.Datapoints).toHaveLength(1_440);
    const error = await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, StartTime: new Date(end.getTime() - 1_441 * 60_000) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterCombinationException", Code: "InvalidParameterCombination", $metadata: { httpStatusCode: 400, attempts: 1 } });
    expect((error as Error).message).toContain("1441");
  });

  it("rejects Statistics with ExtendedStatistics, neither, and a statistic outside the set", async () => {
    const base = { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: byName, StartTime: hourStart, EndTime: end, Period: 60 };
    const send = (extra: object) => cloudwatch.send(new GetMetricStatisticsCommand({ ...base, ...extra })).catch((e: unknown) => e);
    expect(await send({ Statistics: ["Average"], ExtendedStatistics: ["p99"] })).toMatchObject({ name: "InvalidParameterCombinationException", Code: "InvalidParameterCombination" });
    expect(await send({})).toMatchObject({ name: "MissingRequiredParameterException", Code: "MissingParameter" });
    const badStat = await send({ Statistics: ["p99"] });
    expect(badStat).toMatchObject({ name: "InvalidParameterValueException", Code: "InvalidParameterValue" });
    expect((badStat as Error).message).toContain("Statistics.member.1");
    expect(await send({ Statistics: ["Sum"], Period: 90 })).toMatchObject({ name: "InvalidParameterValueException" });
  });

  it("a Unit other than the metric's selects nothing; an unknown function has no datapoints", async () => {
    const base = { Namespace: "AWS/Lambda", MetricName: "Invocations", StartTime: hourStart, EndTime: end, Period: 60, Statistics: ["Sum" as const] };
    expect((await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Dimensions: byName, Unit: "Milliseconds" }))).Datapoints).toEqual([]);
    expect((await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Dimensions: byName, Unit: "Count" }))).Datapoints).toHaveLength(60);
    expect((await cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Dimensions: [{ Name: "FunctionName", Value: "no-such-function" }] }))).Datapoints).toEqual([]);
  });

  it("is counted per request under its own operation", async () => {
    const before = sim.requestCounts().services.cloudwatch?.GetMetricStatistics ?? 0;
    await cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: byName, StartTime: hourStart, EndTime: end, Period: 3600, Statistics: ["Sum"] }));
    expect(sim.requestCounts().services.cloudwatch?.GetMetricStatistics).toBe(before + 1);
  });
});
