import { describe, expect, it } from "vitest";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  LimitExceededException,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { InsightsQueryError, LogGroupNotFoundError } from "@/lib/domain/logs/insights-errors";
import { LogsInsightsReportSource } from "@/lib/adapters/aws/logs-insights-source";
import type { InsightsQueryRequest } from "@/lib/ports/report-stats";

/**
 * The Logs Insights adapter's own logic (retry at the query limit, poll backoff, stop on
 * abort, status handling) with the client's `send` answered by a script; the wire itself is
 * covered by the integration test against the simulator.
 */
type Answer = (input: Record<string, unknown>) => unknown;

function scriptedClient(script: Record<string, Answer[]>) {
  const client = new CloudWatchLogsClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const names = new Map<unknown, string>([
    [StartQueryCommand, "StartQuery"],
    [GetQueryResultsCommand, "GetQueryResults"],
    [StopQueryCommand, "StopQuery"],
    [DescribeLogGroupsCommand, "DescribeLogGroups"],
  ]);
  // The adapter only calls send(); answer it from the script, one answer per call, the last repeating.
  client.send = (async (command: { constructor: unknown; input: Record<string, unknown> }) => {
    const name = names.get(command.constructor) ?? "Unknown";
    sent.push({ command: name, input: { ...command.input } }); // a copy: paginators reuse their input object
    const answers = script[name] ?? [];
    const answer = answers.length > 1 ? answers.shift()! : answers[0];
    if (answer === undefined) throw new Error(`unscripted ${name}`);
    const result = answer(command.input);
    if (result instanceof Error) throw result;
    return result;
  }) as CloudWatchLogsClient["send"];
  return { client, sent };
}

const REQUEST: InsightsQueryRequest = {
  queryString: "stats count(*) by bin(1h)",
  logGroupNames: ["/aws/lambda/a", "/aws/lambda/b"],
  window: { fromMs: Date.UTC(2026, 10, 27, 0), toMs: Date.UTC(2026, 10, 28, 0) },
  limit: 10_000,
};

const complete = (rows: { field: string; value: string }[][]) => () => ({ status: "Complete", results: rows, statistics: { bytesScanned: 2048 } });
const running = () => ({ status: "Running", results: [] });

function source(client: CloudWatchLogsClient) {
  const waits: number[] = [];
  const adapter = new LogsInsightsReportSource(client, {
    sleep: async (ms, signal) => {
      waits.push(ms);
      signal?.throwIfAborted();
    },
  });
  return { adapter, waits };
}

describe("LogsInsightsReportSource.runQuery", () => {
  it("starts the query over the window in epoch seconds (end inclusive) and polls with backoff until Complete", async () => {
    const { client, sent } = scriptedClient({
      StartQuery: [() => ({ queryId: "q-1" })],
      GetQueryResults: [running, running, running, running, running, running, running, running, complete([[
        { field: "hour", value: "2026-11-27 10:00:00.000" },
        { field: "invocations", value: "12" },
        { field: "@ptr", value: "CmAKJgoi" },
      ]])],
    });
    const { adapter, waits } = source(client);
    const result = await adapter.runQuery(REQUEST);
    expect(result).toEqual({ rows: [{ hour: "2026-11-27 10:00:00.000", invocations: "12" }], bytesScanned: 2048 });
    expect(sent[0]).toEqual({
      command: "StartQuery",
      input: {
        logGroupNames: ["/aws/lambda/a", "/aws/lambda/b"],
        startTime: REQUEST.window.fromMs / 1000,
        endTime: REQUEST.window.toMs / 1000,
        queryString: REQUEST.queryString,
        limit: 10_000,
      },
    });
    expect(sent.slice(1).every((s) => s.command === "GetQueryResults" && s.input.queryId === "q-1")).toBe(true);
    // 250 ms, × 1.5, capped at 3 s.
    expect(waits).toEqual([250, 375, 562.5, 843.75, 1265.625, 1898.4375, 2847.65625, 3000, 3000]);
  });

  it("waits and retries while the account's concurrent-query limit is reached", async () => {
    const limit = () => new LimitExceededException({ message: "Account maximum query concurrency limit of [30] reached.", $metadata: {} });
    const { client, sent } = scriptedClient({
      StartQuery: [limit, limit, limit, () => ({ queryId: "q-2" })],
      GetQueryResults: [complete([])],
    });
    const { adapter, waits } = source(client);
    await expect(adapter.runQuery(REQUEST)).resolves.toEqual({ rows: [], bytesScanned: 2048 });
    expect(sent.filter((s) => s.command === "StartQuery")).toHaveLength(4);
    expect(waits.slice(0, 3)).toEqual([1000, 2000, 4000]);
  });

  it.each(["Failed", "Timeout", "Cancelled", "Unknown"])("a query that ends %s is an error naming the groups and the window", async (status) => {
    const { client } = scriptedClient({ StartQuery: [() => ({ queryId: "q-3" })], GetQueryResults: [running, () => ({ status })] });
    const { adapter } = source(client);
    const error = await adapter.runQuery(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightsQueryError);
    expect((error as Error).message).toBe(
      `Logs Insights query q-3 ended ${status} for /aws/lambda/a, /aws/lambda/b, 2026-11-27T00:00Z–2026-11-28T00:00Z`,
    );
  });

  it("a missing log group is a LogGroupNotFoundError", async () => {
    const missing = () => new ResourceNotFoundException({ message: "Log group '/aws/lambda/b' does not exist", $metadata: {} });
    const { client } = scriptedClient({ StartQuery: [missing] });
    await expect(source(client).adapter.runQuery(REQUEST)).rejects.toBeInstanceOf(LogGroupNotFoundError);
  });

  it("stops a query that keeps running past the wait limit and reports it", async () => {
    const { client, sent } = scriptedClient({
      StartQuery: [() => ({ queryId: "q-5" })],
      GetQueryResults: [running],
      StopQuery: [() => ({ success: true })],
    });
    const adapter = new LogsInsightsReportSource(client, { backoff: { maxQueryWaitMs: 60_000 }, sleep: async () => {} });
    await expect(adapter.runQuery(REQUEST)).rejects.toThrow(/^Logs Insights query q-5 did not finish within 1 min for \/aws\/lambda\/a, \/aws\/lambda\/b, /);
    expect(sent.at(-1)).toEqual({ command: "StopQuery", input: { queryId: "q-5" } });
  });

  it("turns rows of an unexpected shape into empty rows (skipped and counted downstream), not a failed query", async () => {
    const { client } = scriptedClient({
      StartQuery: [() => ({ queryId: "q-6" })],
      GetQueryResults: [() => ({ status: "Complete", results: [[{ field: "hour" }, { field: "invocations", value: "3" }], "garbage"] })],
    });
    expect((await source(client).adapter.runQuery(REQUEST)).rows).toEqual([{ invocations: "3" }, {}]);
  });

  it("stops the query when the caller aborts", async () => {
    const controller = new AbortController();
    const { client, sent } = scriptedClient({
      StartQuery: [() => ({ queryId: "q-4" })],
      GetQueryResults: [
        () => {
          controller.abort(new Error("another query failed"));
          return running();
        },
      ],
      StopQuery: [() => ({ success: true })],
    });
    await expect(source(client).adapter.runQuery(REQUEST, controller.signal)).rejects.toThrow("another query failed");
    expect(sent.map((s) => s.command)).toEqual(["StartQuery", "GetQueryResults", "StopQuery"]);
    expect(sent[2]!.input).toEqual({ queryId: "q-4" });
  });
});

describe("LogsInsightsReportSource.listLogGroupNames", () => {
  it("follows every page under the prefix", async () => {
    const { client, sent } = scriptedClient({
      DescribeLogGroups: [
        () => ({ logGroups: [{ logGroupName: "/aws/lambda/a" }], nextToken: "t1" }),
        () => ({ logGroups: [{ logGroupName: "/aws/lambda/b" }, {}] }),
      ],
    });
    expect(await source(client).adapter.listLogGroupNames("/aws/lambda/")).toEqual(new Set(["/aws/lambda/a", "/aws/lambda/b"]));
    expect(sent.map((s) => [s.input.logGroupNamePrefix, s.input.nextToken])).toEqual([["/aws/lambda/", undefined], ["/aws/lambda/", "t1"]]);
  });
});
