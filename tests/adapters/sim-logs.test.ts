import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  paginateDescribeLogGroups,
  StartQueryCommand,
  StopQueryCommand,
  type GetQueryResultsCommandOutput,
  type StartQueryCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { createSimModel, MinuteSeriesCache } from "@/infra/local/sim/model/minute-stats";
import { firstUnpublishedMinute } from "@/infra/local/sim/model/time";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulated CloudWatch Logs (DescribeLogGroups, Logs Insights) driven by the real SDK client. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30); // a Friday, 30 s into the minute
const END_SEC = Date.UTC(2026, 10, 27, 12, 0) / 1000;
const HOUR_START_SEC = END_SEC - 3600;
const ACCOUNT = scenario.account.id;
const REGION = scenario.account.region;
const GROUPS = scenario.functions.filter((fn) => (fn.region ?? REGION) === REGION).map((fn) => `/aws/lambda/${fn.name}`).sort();
/** AWS's cold-start ratio query (FACTS §3). */
const COLD_START_QUERY =
  'filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration"))/count(*) * 100 as coldStartPct, avg(@duration) by bin(5m)';

let clockMs = NOW;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => clockMs });
  logs = new CloudWatchLogsClient({
    endpoint: sim.url,
    region: REGION,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  logs?.destroy();
  await sim?.close();
});

afterEach(() => {
  clockMs = NOW;
  sim.faults.set([]);
});

/** Starts a query and polls GetQueryResults until it leaves Scheduled/Running. */
async function runQuery(input: Omit<StartQueryCommandInput, "startTime" | "endTime"> & { startTime?: number; endTime?: number }) {
  const { queryId } = await logs.send(new StartQueryCommand({ startTime: HOUR_START_SEC, endTime: END_SEC, ...input }));
  const statuses: string[] = [];
  for (let attempt = 0; attempt < 2000; attempt++) {
    const output = await logs.send(new GetQueryResultsCommand({ queryId }));
    statuses.push(output.status!);
    if (output.status !== "Scheduled" && output.status !== "Running") return { output, statuses };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`query ${queryId} did not finish`);
}

/** Result rows as plain objects. */
function rowsOf(output: GetQueryResultsCommandOutput): Record<string, string>[] {
  return (output.results ?? []).map((row) => Object.fromEntries(row.map((cell) => [cell.field!, cell.value!])));
}

/** `2026-11-27 11:05:00.000` for an epoch minute (Insights' bin() format). */
function binLabel(epochMinute: number): string {
  return new Date(epochMinute * 60_000).toISOString().replace("T", " ").replace("Z", "");
}

/** Invocations, cold starts and invocation-weighted mean duration per 5-minute bin, straight from the model. */
function modelBins(functionNames: readonly string[]) {
  const model = createSimModel(scenario, { seed: sim.seed, anchorDay: sim.anchorDay });
  const fromMinute = HOUR_START_SEC / 60;
  const lastPublished = firstUnpublishedMinute(NOW) - 1;
  const cache = new MinuteSeriesCache(model, fromMinute, lastPublished - fromMinute + 1);
  const bins = new Map<string, { invocations: number; coldStarts: number; durationMsTotal: number }>();
  for (const name of functionNames) {
    const series = cache.series(name)!;
    for (let i = 0; i < series.length; i++) {
      const label = binLabel(Math.floor((fromMinute + i) / 5) * 5);
      const bin = bins.get(label) ?? { invocations: 0, coldStarts: 0, durationMsTotal: 0 };
      bin.invocations += series.invocations[i]!;
      bin.coldStarts += series.coldStarts[i]!;
      bin.durationMsTotal += series.invocations[i]! * series.durationAverageMs[i]!;
      bins.set(label, bin);
    }
  }
  return bins;
}

describe("DescribeLogGroups", () => {
  it("lists one /aws/lambda group per function of the region, with AWS's fields", async () => {
    const output = await logs.send(new DescribeLogGroupsCommand({}));
    const groups = output.logGroups!;
    expect(groups.map((g) => g.logGroupName)).toEqual(GROUPS);
    expect(output.nextToken).toBeUndefined();
    const users = groups.find((g) => g.logGroupName === "/aws/lambda/users-api")!;
    expect(users.logGroupArn).toBe(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/users-api`);
    expect(users.arn).toBe(`${users.logGroupArn}:*`);
    expect(users.logGroupClass).toBe("STANDARD");
    expect(users.metricFilterCount).toBe(0);
    expect(users.creationTime).toBe((sim.anchorDay - scenario.historyDays) * 86_400_000);
    // ~3 M invocations a day × ~400 bytes over the history: gigabytes, not bytes.
    expect(users.storedBytes).toBeGreaterThan(1e9);
  });

  it("pages with limit and nextToken, and filters by prefix", async () => {
    const pages: string[][] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 4 }, {})) {
      pages.push(page.logGroups!.map((g) => g.logGroupName!));
    }
    expect(pages.length).toBe(Math.ceil(GROUPS.length / 4));
    expect(pages.every((page) => page.length <= 4)).toBe(true);
    expect(pages.flat()).toEqual(GROUPS);

    const saga = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/order-saga-" }));
    expect(saga.logGroups!.map((g) => g.logGroupName)).toEqual(GROUPS.filter((name) => name.startsWith("/aws/lambda/order-saga-")));
  });

  it("honours the truncated-pages fault and rejects a limit above 50", async () => {
    sim.faults.set([{ kind: "truncated-pages", service: "logs", pageSize: 2 }]);
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 10 }));
    expect(first.logGroups).toHaveLength(2);
    expect(first.nextToken).toBeTypeOf("string");
    const second = await logs.send(new DescribeLogGroupsCommand({ limit: 10, nextToken: first.nextToken }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(GROUPS.slice(2, 4));

    await expect(logs.send(new DescribeLogGroupsCommand({ limit: 51 }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(logs.send(new DescribeLogGroupsCommand({ nextToken: "garbage" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});

describe("Logs Insights queries", () => {
  it("AWS's cold-start query by bin(5m) over an hour of every group equals the model's cold starts and invocations", async () => {
    const { output, statuses } = await runQuery({ logGroupNames: GROUPS, queryString: COLD_START_QUERY });
    expect(output.status).toBe("Complete");
    expect(statuses.at(-1)).toBe("Complete");
    const rows = rowsOf(output);
    const expected = modelBins(scenario.functions.map((fn) => fn.name));
    // 11:00 … 11:55: the last bin holds the published minutes 11:55–11:58 only.
    expect(rows.map((row) => row["bin(5m)"])).toEqual([...expected.keys()].sort().reverse());
    for (const row of rows) {
      const bin = expected.get(row["bin(5m)"]!)!;
      expect(row.coldStartPct).toBe(String((bin.coldStarts / bin.invocations) * 100));
      const modelAverageMs = bin.durationMsTotal / bin.invocations;
      expect(Math.abs(Number(row["avg(@duration)"]) / modelAverageMs - 1)).toBeLessThan(0.03);
    }
    expect([...expected.values()].some((bin) => bin.coldStarts > 0)).toBe(true);
    const invocations = [...expected.values()].reduce((sum, bin) => sum + bin.invocations, 0);
    // Every invocation writes START, END and REPORT (plus INIT_START and error lines).
    expect(output.statistics!.recordsMatched).toBe(invocations);
    expect(output.statistics!.recordsScanned).toBeGreaterThanOrEqual(3 * invocations);
  });

  it("counts REPORT lines and Init Duration exactly per bin for one group (logGroupIdentifiers by ARN)", async () => {
    const { output } = await runQuery({
      logGroupIdentifiers: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/payments-api:*`],
      queryString: 'filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts by bin(5m)',
    });
    const expected = modelBins(["payments-api"]);
    const rows = rowsOf(output);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const bin = expected.get(row["bin(5m)"]!)!;
      expect(Number(row.invocations)).toBe(bin.invocations);
      expect(Number(row.coldStarts)).toBe(bin.coldStarts);
    }
  });

  it("returns the 20 newest ERROR lines, newest first, with only the requested fields", async () => {
    const { output } = await runQuery({
      logGroupNames: GROUPS,
      queryString: "fields @timestamp, @message | filter @message like /ERROR/ | limit 20",
      limit: 20,
    });
    expect(output.status).toBe("Complete");
    const rows = rowsOf(output);
    expect(rows).toHaveLength(20);
    const times = rows.map((row) => Date.parse(`${row["@timestamp"]!.replace(" ", "T")}Z`));
    for (const [i, row] of rows.entries()) {
      expect(Object.keys(row)).toEqual(["@timestamp", "@message"]);
      expect(row["@message"]).toMatch(/ERROR/);
      expect(times[i]).toBeLessThan(firstUnpublishedMinute(NOW) * 60_000);
      expect(times[i]).toBeGreaterThanOrEqual(HOUR_START_SEC * 1000);
      if (i > 0) expect(times[i]).toBeLessThanOrEqual(times[i - 1]!);
    }
  });

  it("rejects a malformed query with MalformedQueryException naming the position", async () => {
    const error = await logs
      .send(new StartQueryCommand({ logGroupNames: GROUPS, startTime: HOUR_START_SEC, endTime: END_SEC, queryString: "filter @type = | stats count(*)" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "MalformedQueryException",
      queryCompileError: { location: { startCharOffset: 15, endCharOffset: 16 } },
    });
    expect((error as Error).message).toContain("line 1 and position 16");
    expect((error as { queryCompileError: { message: string } }).queryCompileError.message).toContain('"|"');
  });

  it("rejects an unknown log group, naming it, and an unknown query id", async () => {
    await expect(
      logs.send(new StartQueryCommand({ logGroupNames: ["/aws/lambda/nope"], startTime: HOUR_START_SEC, endTime: END_SEC, queryString: "stats count(*)" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException", message: expect.stringContaining("/aws/lambda/nope") });
    await expect(logs.send(new GetQueryResultsCommand({ queryId: "00000000-0000-4000-8000-000000000000" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    const tooMany = Array.from({ length: 51 }, () => GROUPS[0]!);
    await expect(
      logs.send(new StartQueryCommand({ logGroupNames: tooMany, startTime: HOUR_START_SEC, endTime: END_SEC, queryString: "stats count(*)" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("StopQuery cancels a running query once", async () => {
    // count_distinct over request ids reads every line of a day: it runs for a while.
    const { queryId } = await logs.send(
      new StartQueryCommand({ logGroupNames: GROUPS, startTime: END_SEC - 86_400, endTime: END_SEC, queryString: "stats count_distinct(@requestId)" }),
    );
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe("Cancelled");
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(false);
  });

  it("with the timeout fault a query stays Running, then reports Timeout after the configured clock time", async () => {
    sim.faults.set([{ kind: "logs-query-timeout", afterSeconds: 5 }]);
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupNames: GROUPS, startTime: HOUR_START_SEC, endTime: END_SEC, queryString: "stats count(*)" }));
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe("Running");
    clockMs = NOW + 4_000;
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe("Running");
    clockMs = NOW + 5_000;
    const timedOut = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(timedOut.status).toBe("Timeout");
    expect(timedOut.results).toEqual([]);
  });

  it("with the malformed-lines fault a share of REPORT lines loses its later fields, and the lines are still all there", async () => {
    const query = { logGroupName: "/aws/lambda/orders-api", queryString: 'filter @type = "REPORT" | stats count(*) as lines, count(@maxMemoryUsed) as parsed' };
    const invocations = [...modelBins(["orders-api"]).values()].reduce((sum, bin) => sum + bin.invocations, 0);
    sim.faults.set([{ kind: "malformed-log-lines", ratio: 0.1 }]);
    try {
      const [cut] = rowsOf((await runQuery(query)).output);
      expect(Number(cut!.lines)).toBe(invocations);
      expect(Number(cut!.parsed)).toBeLessThan(invocations);
      expect(Number(cut!.parsed)).toBeGreaterThan(invocations * 0.85);
    } finally {
      sim.faults.set([]);
    }
    const [whole] = rowsOf((await runQuery(query)).output);
    expect(Number(whole!.parsed)).toBe(invocations);
  });

  it("refuses a 31st concurrent query with LimitExceededException", async () => {
    sim.faults.set([{ kind: "logs-query-timeout", afterSeconds: 60 }]);
    const input = { logGroupNames: GROUPS, startTime: HOUR_START_SEC, endTime: END_SEC, queryString: "stats count(*)" };
    for (let i = 0; i < 30; i++) await logs.send(new StartQueryCommand(input));
    await expect(logs.send(new StartQueryCommand(input))).rejects.toMatchObject({ name: "LimitExceededException" });
    // Once they time out, queries can start again.
    clockMs = NOW + 61_000;
    await expect(logs.send(new StartQueryCommand(input))).resolves.toMatchObject({ queryId: expect.any(String) });
  });
});
