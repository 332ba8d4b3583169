/**
 * Benchmark of the simulated AWS account through the real SDK clients (`npm run bench`).
 * It measures what the issue asks of the simulator — that collectors, not it, are the
 * bottleneck — and prints figures, not pass/fail: machines are noisy.
 *
 *   npm run bench                 # ecommerce and fleet:1000
 *   npm run bench -- --quick      # ecommerce only
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageCommand, type GroupDefinition } from "@aws-sdk/client-cost-explorer";
import { GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

const quick = process.argv.includes("--quick");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "bench" };

interface Row {
  scenario: string;
  what: string;
  ms: number;
  detail: string;
}
const rows: Row[] = [];

async function timed<T>(scenario: string, what: string, run: () => Promise<T>, detail: (result: T) => string): Promise<T> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  rows.push({ scenario, what, ms, detail: detail(result) });
  return result;
}

function clients(sim: RunningSimulator, region: string) {
  const config = { endpoint: sim.url, region, credentials, maxAttempts: 1 };
  return {
    cloudwatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    xray: new XRayClient(config),
    ce: new CostExplorerClient(config),
  };
}

/** 500 metric-stat queries over the scenario's functions (7 per function, as the collector asks). */
function fiveHundredQueries(functionNames: readonly string[], period: number): MetricDataQuery[] {
  const stats: [string, string][] = [
    ["Invocations", "Sum"],
    ["Errors", "Sum"],
    ["Throttles", "Sum"],
    ["Duration", "p50"],
    ["Duration", "p90"],
    ["Duration", "p99"],
    ["ConcurrentExecutions", "Maximum"],
  ];
  const queries: MetricDataQuery[] = [];
  for (let i = 0; queries.length < 500; i++) {
    const name = functionNames[Math.floor(i / stats.length) % functionNames.length]!;
    const [metric, stat] = stats[i % stats.length]!;
    queries.push({
      Id: `q${i}`,
      MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: period, Stat: stat },
    });
  }
  return queries;
}

async function insights(logs: CloudWatchLogsClient, groups: string[], hours: number, queryString: string) {
  const { queryId } = await logs.send(
    new StartQueryCommand({ logGroupNames: groups, startTime: (NOW - hours * HOUR) / 1000, endTime: NOW / 1000, queryString, limit: 10_000 }),
  );
  for (;;) {
    const output = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (output.status === "Complete") return output;
    if (output.status !== "Running" && output.status !== "Scheduled") throw new Error(`query ended ${output.status}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function benchScenario(name: string): Promise<void> {
  const scenario = loadScenario(name);
  const sim = await startSimulator({ scenario, port: 0, now: () => NOW });
  const { cloudwatch, logs, xray, ce } = clients(sim, scenario.account.region);
  const functionNames = scenario.functions.map((fn) => fn.name);
  try {
    await timed(name, "GetMetricData 500 queries × 24 h @ 60 s (all pages)", async () => {
      let datapoints = 0;
      let calls = 0;
      let firstCallMs = 0;
      let token: string | undefined;
      const started = performance.now();
      do {
        const page = await cloudwatch.send(
          new GetMetricDataCommand({ StartTime: new Date(NOW - DAY), EndTime: new Date(NOW), MetricDataQueries: fiveHundredQueries(functionNames, 60), NextToken: token }),
        );
        if (calls === 0) firstCallMs = performance.now() - started;
        calls++;
        datapoints += page.MetricDataResults!.reduce((sum, r) => sum + (r.Values?.length ?? 0), 0);
        token = page.NextToken;
      } while (token !== undefined);
      return { datapoints, calls, firstCallMs };
    }, (r) => `${r.datapoints.toLocaleString("en")} datapoints in ${r.calls} calls; the first call ${r.firstCallMs.toFixed(0)} ms`);

    await timed(name, "GetMetricData 500 queries × 14 d @ 3600 s", async () => {
      const page = await cloudwatch.send(
        new GetMetricDataCommand({ StartTime: new Date(NOW - 14 * DAY), EndTime: new Date(NOW), MetricDataQueries: fiveHundredQueries(functionNames, 3600) }),
      );
      return page.MetricDataResults!.reduce((sum, r) => sum + (r.Values?.length ?? 0), 0);
    }, (n) => `${n.toLocaleString("en")} datapoints`);

    const groups = (await logs.send(new DescribeLogGroupsCommand({ limit: 50 }))).logGroups!.map((g) => g.logGroupName!).slice(0, 50);
    await timed(
      name,
      `Insights 24 h stats by bin(5m) over ${groups.length} log groups`,
      () =>
        insights(
          logs,
          groups,
          24,
          'filter @type = "REPORT" | stats count(*) as invocations, sum(strcontains(@message, "Init Duration")) as coldStarts, pct(@duration, 99) as p99, max(@maxMemoryUsed) as maxMemory by bin(5m)',
        ),
      (r) => `${r.results?.length ?? 0} rows, ${Number(r.statistics?.recordsMatched ?? 0).toLocaleString("en")} records matched`,
    );
    await timed(name, `Insights 1 h newest 20 error lines over ${groups.length} groups`, () => insights(logs, groups, 1, "fields @timestamp, @message | filter @message like /ERROR|Task timed out/ | sort @timestamp desc | limit 20"), (r) => `${r.results?.length ?? 0} rows`);

    await timed(name, "X-Ray GetServiceGraph 6 h", () => xray.send(new GetServiceGraphCommand({ StartTime: new Date(NOW - 6 * HOUR), EndTime: new Date(NOW) })), (r) => `${r.Services?.length ?? 0} services`);
    await timed(name, "X-Ray GetTraceSummaries 1 h, first page", () => xray.send(new GetTraceSummariesCommand({ StartTime: new Date(NOW - HOUR), EndTime: new Date(NOW) })), (r) => `${r.TraceSummaries?.length ?? 0} summaries`);

    const fourteenDays = (groupBy: GroupDefinition) =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: new Date(NOW - 14 * DAY).toISOString().slice(0, 10), End: new Date(NOW).toISOString().slice(0, 10) },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          GroupBy: [groupBy],
        }),
      );
    const days = (r: { ResultsByTime?: unknown[] }) => `${r.ResultsByTime?.length ?? 0} days`;
    await timed(name, "Cost Explorer 14 d DAILY by SERVICE (cold)", () => fourteenDays({ Type: "DIMENSION", Key: "SERVICE" }), days);
    await timed(name, "Cost Explorer 14 d DAILY by TAG team (warm)", () => fourteenDays({ Type: "TAG", Key: "team" }), days);
    const counts = sim.requestCounts();
    rows.push({ scenario: name, what: "requests counted by the simulator", ms: 0, detail: `${counts.total} (${Object.entries(counts.services).map(([s, ops]) => `${s} ${Object.values(ops ?? {}).reduce((a, b) => a + b, 0)}`).join(", ")})` });
  } finally {
    for (const client of [cloudwatch, logs, xray, ce]) client.destroy();
    await sim.close();
  }
}

await benchScenario("ecommerce");
if (!quick) await benchScenario("fleet:1000");

const rssMb = Math.round(process.memoryUsage().rss / 1_048_576);
const width = Math.max(...rows.map((r) => r.what.length));
console.log(`\nSimulator benchmark (Node ${process.version}, ${new Date().toISOString()}), RSS at end ${rssMb} MB\n`);
let current = "";
for (const row of rows) {
  if (row.scenario !== current) {
    current = row.scenario;
    console.log(`${current}`);
  }
  const ms = row.ms === 0 ? "" : `${row.ms.toFixed(0)} ms`;
  console.log(`  ${row.what.padEnd(width)}  ${ms.padStart(9)}  ${row.detail}`);
}
