import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  type ResultByTime,
} from "@aws-sdk/client-cost-explorer";
import { LambdaClient, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { MinuteSeriesCache, createSimModel } from "@/infra/local/sim/model/minute-stats";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulated Cost Explorer driven by the real SDK client. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30); // a Friday, 30 s into the minute
const DAY_MS = 86_400_000;
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysAgo = (days: number) => date(TODAY - days * DAY_MS);

let sim: Awaited<ReturnType<typeof startSimulator>>;
let ce: CostExplorerClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW });
  ce = new CostExplorerClient({
    endpoint: sim.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  ce?.destroy();
  await sim?.close();
});

afterEach(() => sim.faults.set([]));

const amount = (result: ResultByTime, keys: string, metric = "UnblendedCost") =>
  Number(result.Groups?.find((group) => group.Keys?.join("|") === keys)?.Metrics?.[metric]?.Amount ?? Number.NaN);

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error("expected the call to fail");
}

/** Every page of a GetCostAndUsage request, following NextPageToken. */
async function allPages(input: GetCostAndUsageCommandInput): Promise<GetCostAndUsageCommandOutput[]> {
  const pages: GetCostAndUsageCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    pages.push(page);
    token = page.NextPageToken;
  } while (token !== undefined && pages.length < 1000);
  return pages;
}

describe("GetCostAndUsage", () => {
  it("DAILY by SERVICE over 3 days: every service of the call graph, priced at list price", async () => {
    const output = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: daysAgo(3), End: daysAgo(0) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost", "UsageQuantity"],
        GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
      }),
    );
    expect(output.GroupDefinitions).toEqual([{ Type: "DIMENSION", Key: "SERVICE" }]);
    expect(output.DimensionValueAttributes).toEqual([]);
    // Yesterday closed 12 hours ago: still Estimated (for 24 h after a day ends, see below).
    expect(output.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.TimePeriod?.End, r.Estimated])).toEqual([
      [daysAgo(3), daysAgo(2), false],
      [daysAgo(2), daysAgo(1), false],
      [daysAgo(1), daysAgo(0), true],
    ]);
    for (const result of output.ResultsByTime!) {
      expect(result.Total).toEqual({});
      expect(result.Groups?.map((group) => group.Keys?.[0])).toEqual([
        "AWS Lambda",
        "AWS X-Ray",
        "Amazon API Gateway",
        "Amazon DynamoDB",
        "Amazon EventBridge",
        "Amazon Simple Notification Service",
        "Amazon Simple Queue Service",
        "AmazonCloudWatch",
      ]);
      // API Gateway REST requests at $3.50 per million.
      const requests = amount(result, "Amazon API Gateway", "UsageQuantity");
      expect(requests).toBeGreaterThan(5_000_000); // the API services take ~7.6 M requests a day
      expect(amount(result, "Amazon API Gateway")).toBeCloseTo((requests / 1e6) * 3.5, 6);
      // X-Ray: traces recorded at $5.00 per million.
      expect(amount(result, "AWS X-Ray")).toBeCloseTo((amount(result, "AWS X-Ray", "UsageQuantity") / 1e6) * 5, 6);
      expect(result.Groups![0]!.Metrics!.UnblendedCost!.Unit).toBe("USD");
      expect(typeof result.Groups![0]!.Metrics!.UnblendedCost!.Amount).toBe("string");
    }
  });

  it("group by TAG team: the untagged function shows up as team$", async () => {
    const output = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: daysAgo(1), End: daysAgo(0) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [{ Type: "TAG", Key: "team" }],
      }),
    );
    const keys = output.ResultsByTime![0]!.Groups!.map((group) => group.Keys![0]);
    expect(keys).toContain("team$");
    expect(keys).toContain("team$commerce");
    expect(keys).toContain("team$payments");
    expect(keys.every((key) => key!.startsWith("team$"))).toBe(true);
    // The tag groups add up to the day's bill.
    const bill = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: daysAgo(1), End: daysAgo(0) }, Granularity: "DAILY", Metrics: ["UnblendedCost"] }));
    const sum = output.ResultsByTime![0]!.Groups!.reduce((total, group) => total + Number(group.Metrics!.UnblendedCost!.Amount), 0);
    expect(sum).toBeCloseTo(Number(bill.ResultsByTime![0]!.Total!.UnblendedCost!.Amount), 6);
  });

  it("HOURLY for a recent day sums to the DAILY figure; HOURLY older than 14 days is a ValidationException", async () => {
    const filter = { Dimensions: { Key: "SERVICE" as const, Values: ["AWS Lambda"] } };
    const hourly = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: `${daysAgo(2)}T00:00:00Z`, End: `${daysAgo(1)}T00:00:00Z` },
        Granularity: "HOURLY",
        Metrics: ["UnblendedCost"],
        Filter: filter,
      }),
    );
    expect(hourly.ResultsByTime).toHaveLength(24);
    expect(hourly.ResultsByTime![5]!.TimePeriod).toEqual({ Start: `${daysAgo(2)}T05:00:00Z`, End: `${daysAgo(2)}T06:00:00Z` });
    const daily = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Granularity: "DAILY", Metrics: ["UnblendedCost"], Filter: filter }));
    const hourlySum = hourly.ResultsByTime!.reduce((sum, r) => sum + Number(r.Total!.UnblendedCost!.Amount), 0);
    expect(hourlySum).toBeCloseTo(Number(daily.ResultsByTime![0]!.Total!.UnblendedCost!.Amount), 6);

    const tooOld = await errorOf(
      ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: `${daysAgo(15)}T00:00:00Z`, End: `${daysAgo(14)}T00:00:00Z` }, Granularity: "HOURLY", Metrics: ["UnblendedCost"] })),
    );
    expect(tooOld.name).toBe("ValidationException");
    expect(tooOld.message).toContain("14 days");
  });

  it("more than 2 GroupBy, a bad dimension, End before Start: ValidationException", async () => {
    const base = { TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Granularity: "DAILY" as const, Metrics: ["UnblendedCost"] };
    const three = await errorOf(
      ce.send(new GetCostAndUsageCommand({ ...base, GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "TAG", Key: "team" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }] })),
    );
    expect(three.name).toBe("ValidationException");
    const badDimension = await errorOf(ce.send(new GetCostAndUsageCommand({ ...base, GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }] })));
    expect(badDimension.message).toContain("Group Definition dimension is invalid");
    const backwards = await errorOf(ce.send(new GetCostAndUsageCommand({ ...base, TimePeriod: { Start: daysAgo(1), End: daysAgo(2) } })));
    expect(backwards.message).toBe("Start date (and hour) should be before end date (and hour)");
    const noMetrics = await errorOf(ce.send(new GetCostAndUsageCommand({ ...base, Metrics: [] })));
    expect(noMetrics.name).toBe("ValidationException");
  });

  it("Estimated for today (data up to the last published minute), later days, and days closed less than 24 h ago", async () => {
    const output = await ce.send(
      new GetCostAndUsageCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(-2) }, Granularity: "DAILY", Metrics: ["UnblendedCost", "UsageQuantity"], Filter: { Dimensions: { Key: "USAGE_TYPE", Values: ["Request", "Request-ARM"] } } }),
    );
    const [before, yesterday, today, tomorrow] = output.ResultsByTime!;
    expect([before?.Estimated, yesterday?.Estimated, today?.Estimated, tomorrow?.Estimated]).toEqual([false, true, true, true]);
    const requests = (r: ResultByTime | undefined) => Number(r?.Total?.UsageQuantity?.Amount);
    // Half a day published (00:00–11:58) at a lower-than-evening rate: between 20 % and 60 % of yesterday.
    expect(requests(today) / requests(yesterday)).toBeGreaterThan(0.2);
    expect(requests(today) / requests(yesterday)).toBeLessThan(0.6);
    expect(requests(tomorrow)).toBe(0);
    expect(tomorrow?.Total?.UsageQuantity?.Unit).toBe("N/A");
  });

  it("MONTHLY: periods are calendar months clipped to the range; before the history start there is nothing", async () => {
    const output = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: "2026-10-01", End: "2026-12-01" }, Granularity: "MONTHLY", Metrics: ["UnblendedCost"] }));
    expect(output.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.TimePeriod?.End, r.Estimated])).toEqual([
      ["2026-10-01", "2026-11-01", false],
      ["2026-11-01", "2026-12-01", true],
    ]);
    expect(output.ResultsByTime![0]!.Total!.UnblendedCost!.Amount).toBe("0");
    expect(Number(output.ResultsByTime![1]!.Total!.UnblendedCost!.Amount)).toBeGreaterThan(1000);
  });
});

describe("pagination", () => {
  const input: GetCostAndUsageCommandInput = {
    TimePeriod: { Start: daysAgo(3), End: daysAgo(0) },
    Granularity: "DAILY",
    Metrics: ["UnblendedCost"],
    GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "TAG", Key: "team" }],
  };
  const flatten = (pages: GetCostAndUsageCommandOutput[]) =>
    pages.flatMap((page) => page.ResultsByTime!.flatMap((r) => r.Groups!.map((g) => `${r.TimePeriod!.Start} ${g.Keys!.join("|")} ${g.Metrics!.UnblendedCost!.Amount}`)));

  it("with the truncated-pages fault every page holds 2 groups and the pages reassemble the whole answer", async () => {
    const [whole] = await allPages(input);
    expect(whole!.NextPageToken).toBeUndefined();
    const expected = flatten([whole!]);
    expect(expected.length).toBeGreaterThan(20);

    sim.faults.set([{ kind: "truncated-pages", service: "ce", pageSize: 2 }]);
    const pages = await allPages(input);
    expect(pages).toHaveLength(Math.ceil(expected.length / 2));
    expect(pages.slice(0, -1).every((page) => flatten([page]).length === 2)).toBe(true);
    expect(flatten(pages)).toEqual(expected);
  });

  it("a token from another request is RequestChangedException; a garbled one InvalidNextTokenException", async () => {
    sim.faults.set([{ kind: "truncated-pages", service: "ce", pageSize: 2 }]);
    const first = await ce.send(new GetCostAndUsageCommand(input));
    expect(first.NextPageToken).toBeTypeOf("string");
    const changed = await errorOf(ce.send(new GetCostAndUsageCommand({ ...input, Metrics: ["BlendedCost"], NextPageToken: first.NextPageToken })));
    expect(changed.name).toBe("RequestChangedException");
    const garbled = await errorOf(ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: "not-a-token" })));
    expect(garbled.name).toBe("InvalidNextTokenException");
  });
});

describe("GetCostAndUsageWithResources", () => {
  it("per function and one full day: requests equal the model's invocations; on-demand GB-s match Σ invocations × (mean + 0.5 ms) × memory", async () => {
    const day = TODAY - DAY_MS;
    const output = await ce.send(
      new GetCostAndUsageWithResourcesCommand({
        TimePeriod: { Start: date(day), End: date(TODAY) },
        Granularity: "DAILY",
        Metrics: ["UsageQuantity", "UnblendedCost"],
        Filter: { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
        GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }],
      }),
    );
    const groups = output.ResultsByTime![0]!.Groups!;
    const usage = (arn: string, usageTypes: string[]) =>
      groups.filter((g) => g.Keys![0] === arn && usageTypes.includes(g.Keys![1]!)).reduce((sum, g) => sum + Number(g.Metrics!.UsageQuantity!.Amount), 0);

    // The model, as every other API sees it (same scenario, seed and anchor day).
    const model = createSimModel(scenario, { seed: sim.seed, anchorDay: sim.anchorDay });
    const cache = new MinuteSeriesCache(model, day / 60_000, 1440);
    for (const fn of model.fleet.functions) {
      const s = cache.series(fn.name)!;
      let invocations = 0;
      let gbSeconds = 0;
      for (let i = 0; i < s.length; i++) {
        invocations += s.invocations[i]!;
        const onDemand = s.invocations[i]! - s.provisionedInvocations[i]!;
        // Duration billed per 1 ms, rounded up; INIT of on-demand cold starts billed too (FACTS.md §2).
        const initMs = s.coldStarts[i]! * Math.exp(s.initLogMedian[i]! + fn.initSigma ** 2 / 2);
        gbSeconds += ((onDemand * (s.durationAverageMs[i]! + 0.5) + initMs) / 1000) * (s.memoryMb[i]! / 1024);
      }
      expect(usage(fn.arn, ["Request", "Request-ARM"]), fn.name).toBe(invocations);
      const billed = usage(fn.arn, ["Lambda-GB-Second", "Lambda-GB-Second-ARM"]);
      if (gbSeconds === 0) expect(billed, fn.name).toBe(0);
      else expect(Math.abs(billed / gbSeconds - 1), fn.name).toBeLessThan(0.005);
    }
  });

  it("requires a Filter and data from the last 14 days; MONTHLY is not offered", async () => {
    const base = { TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Granularity: "DAILY" as const, Metrics: ["UnblendedCost"] };
    const noFilter = await errorOf(ce.send(new GetCostAndUsageWithResourcesCommand({ ...base, Filter: undefined })));
    expect(noFilter.name).toBe("ValidationException");
    const filter = { Dimensions: { Key: "SERVICE" as const, Values: ["AWS Lambda"] } };
    const tooOld = await errorOf(ce.send(new GetCostAndUsageWithResourcesCommand({ ...base, Filter: filter, TimePeriod: { Start: daysAgo(20), End: daysAgo(1) } })));
    expect(tooOld.message).toContain("14 days");
    const monthly = await errorOf(ce.send(new GetCostAndUsageWithResourcesCommand({ ...base, Filter: filter, Granularity: "MONTHLY" })));
    expect(monthly.name).toBe("ValidationException");
  });

  it("one function's bill by filtering on its ARN: idle provisioned concurrency dominates payments-api", async () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:payments-api";
    const output = await ce.send(
      new GetCostAndUsageWithResourcesCommand({
        TimePeriod: { Start: daysAgo(1), End: daysAgo(0) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost", "UsageQuantity"],
        Filter: { Dimensions: { Key: "RESOURCE_ID", Values: [arn] } },
        GroupBy: [{ Type: "DIMENSION", Key: "USAGE_TYPE" }],
      }),
    );
    const [result] = output.ResultsByTime!;
    // 50 executions × 2 GB × 86,400 s = 8,640,000 GB-s at $0.0000041667 = $36.000288.
    expect(amount(result!, "Lambda-Provisioned-Concurrency", "UsageQuantity")).toBeCloseTo(8_640_000, 3);
    expect(amount(result!, "Lambda-Provisioned-Concurrency")).toBeCloseTo(36.000288, 6);
    expect(result!.Groups!.map((g) => g.Keys![0])).toContain("Request");
  });
});

describe("GetDimensionValues and GetTags", () => {
  it("the services with usage, and the usage types with their unit", async () => {
    const services = await ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Dimension: "SERVICE" }));
    expect(services.DimensionValues?.map((v) => v.Value)).toEqual([
      "AWS Lambda", "AWS X-Ray", "Amazon API Gateway", "Amazon DynamoDB", "Amazon EventBridge",
      "Amazon Simple Notification Service", "Amazon Simple Queue Service", "AmazonCloudWatch",
    ]);
    expect(services.TotalSize).toBe(8);
    const usageTypes = await ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Dimension: "USAGE_TYPE", SearchString: "gb-second" }));
    expect(usageTypes.DimensionValues).toContainEqual({ Value: "Lambda-GB-Second-ARM", Attributes: { unit: "Lambda-GB-Second" } });
    expect(usageTypes.DimensionValues?.every((v) => v.Value!.toLowerCase().includes("gb-second"))).toBe(true);
  });

  it("sorted by cost, most expensive first, MaxResults per page", async () => {
    const input = { TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, Dimension: "SERVICE" as const, SortBy: [{ Key: "UnblendedCost", SortOrder: "DESCENDING" as const }], MaxResults: 2 };
    const first = await ce.send(new GetDimensionValuesCommand(input));
    expect(first.DimensionValues?.map((v) => v.Value)).toEqual(["AWS Lambda", "Amazon API Gateway"]);
    expect(first.ReturnSize).toBe(2);
    const second = await ce.send(new GetDimensionValuesCommand({ ...input, NextPageToken: first.NextPageToken }));
    expect(second.DimensionValues).toHaveLength(2);
    expect(second.DimensionValues?.map((v) => v.Value)).not.toContain("AWS Lambda");
  });

  it("tag keys, and the values of one key (\"\" for the untagged function), paged by the fault", async () => {
    const keys = await ce.send(new GetTagsCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(1) } }));
    expect(keys.Tags).toEqual(["env", "service", "team"]);
    sim.faults.set([{ kind: "truncated-pages", service: "ce", pageSize: 3 }]);
    const values: string[] = [];
    let token: string | undefined;
    do {
      const page = await ce.send(new GetTagsCommand({ TimePeriod: { Start: daysAgo(2), End: daysAgo(1) }, TagKey: "team", NextPageToken: token }));
      expect(page.Tags!.length).toBeLessThanOrEqual(3);
      values.push(...page.Tags!);
      token = page.NextPageToken;
    } while (token !== undefined);
    expect(values).toContain("");
    expect(values).toContain("commerce");
    expect(new Set(values).size).toBe(values.length);
  });
});

describe("caching", () => {
  it("a 14-day DAILY query by SERVICE and TAG answers the same from a fresh simulator and from its cache", async () => {
    const fresh = await startSimulator({ scenario, port: 0, now: () => NOW });
    const client = new CostExplorerClient({ endpoint: fresh.url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" }, maxAttempts: 1 });
    try {
      const query = new GetCostAndUsageCommand({
        TimePeriod: { Start: daysAgo(14), End: daysAgo(0) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost", "UsageQuantity"],
        GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "TAG", Key: "team" }],
      });
      // Timings of this query are in `npm run bench`, not asserted here.
      const first = await client.send(query);
      const second = await client.send(query);
      expect(first.ResultsByTime).toHaveLength(14);
      expect(second.ResultsByTime).toEqual(first.ResultsByTime);
    } finally {
      client.destroy();
      await fresh.close();
    }
  });
});

describe("Estimated until a day has settled; final amounts never change", () => {
  const DAY_INPUT = (day: string, next: string): GetCostAndUsageCommandInput => ({
    TimePeriod: { Start: day, End: next },
    Granularity: "DAILY",
    Metrics: ["UnblendedCost", "UsageQuantity"],
    GroupBy: [{ Type: "DIMENSION", Key: "USAGE_TYPE" }],
  });
  const HOURLY_INPUT = (day: string, next: string): GetCostAndUsageCommandInput => ({
    TimePeriod: { Start: `${day}T00:00:00Z`, End: `${next}T00:00:00Z` },
    Granularity: "HOURLY",
    Metrics: ["UnblendedCost"],
    Filter: { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
  });

  async function withSimulator<T>(settleHours: number | undefined, body: (client: CostExplorerClient, setClock: (ms: number) => void, url: string) => Promise<T>): Promise<T> {
    let clock = NOW;
    const custom = settleHours === undefined ? scenario : { ...scenario, costExplorer: { settleHours } };
    const fresh = await startSimulator({ scenario: custom, port: 0, now: () => clock });
    const client = new CostExplorerClient({ endpoint: fresh.url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" }, maxAttempts: 1 });
    try {
      return await body(client, (ms) => (clock = ms), fresh.url);
    } finally {
      client.destroy();
      await fresh.close();
    }
  }

  it("by default a day is Estimated until 24 h after it ends; from then on its amounts stay as they were, writes or not", async () => {
    await withSimulator(undefined, async (client, setClock, url) => {
      // Today (the 27th) ends at midnight; it is final from the 29th 00:00.
      const day = daysAgo(0);
      const next = daysAgo(-1);
      const finalAt = TODAY + 2 * DAY_MS;
      const answer = async (input: GetCostAndUsageCommandInput) => (await client.send(new GetCostAndUsageCommand(input))).ResultsByTime!;

      setClock(finalAt - 1);
      const settling = await answer(DAY_INPUT(day, next));
      expect(settling[0]!.Estimated).toBe(true);
      // Complete since midnight: the amounts are already those it keeps, only the flag differs.
      const complete = JSON.stringify(settling[0]!.Groups);

      setClock(finalAt);
      const final = await answer(DAY_INPUT(day, next));
      expect(final[0]!.Estimated).toBe(false);
      expect(JSON.stringify(final[0]!.Groups)).toBe(complete);
      const hourly = await answer(HOURLY_INPUT(day, next));
      expect(hourly).toHaveLength(24);
      expect(hourly.every((r) => r.Estimated === false)).toBe(true);

      // A write (more memory for a busy function) shapes the minutes after it, never the final day.
      const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" }, maxAttempts: 1 });
      try {
        setClock(finalAt + 3 * 3_600_000);
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "users-api", MemorySize: 2048 }));
      } finally {
        lambda.destroy();
      }
      for (const later of [finalAt + 60_000, finalAt + 5 * 3_600_000, finalAt + 3 * DAY_MS]) {
        setClock(later);
        const again = await answer(DAY_INPUT(day, next));
        expect(again[0]!.Estimated).toBe(false);
        expect(JSON.stringify(again[0]!.Groups), new Date(later).toISOString()).toBe(JSON.stringify(final[0]!.Groups));
        expect(await answer(HOURLY_INPUT(day, next))).toEqual(hourly);
      }
      // MONTHLY: November is Estimated until its last day has settled.
      setClock(Date.UTC(2026, 11, 2) - 1);
      expect((await answer({ TimePeriod: { Start: "2026-11-01", End: "2026-12-01" }, Granularity: "MONTHLY", Metrics: ["UnblendedCost"] }))[0]!.Estimated).toBe(true);
      setClock(Date.UTC(2026, 11, 2));
      expect((await answer({ TimePeriod: { Start: "2026-11-01", End: "2026-12-01" }, Granularity: "MONTHLY", Metrics: ["UnblendedCost"] }))[0]!.Estimated).toBe(false);
    });
  });

  it("settleHours 0: just after midnight yesterday stays Estimated until its last minute is published", async () => {
    await withSimulator(0, async (client, setClock) => {
      const day = daysAgo(0);
      const next = daysAgo(-1);
      const midnight = TODAY + DAY_MS;
      const requests = (results: ResultByTime[]) => results[0]!.Groups!.filter((g) => /Request/.test(g.Keys![0]!)).reduce((n, g) => n + Number(g.Metrics!.UsageQuantity!.Amount), 0);
      // 00:00:30: CloudWatch has published up to 23:58, so the day lacks its last minute.
      setClock(midnight + 30_000);
      const early = (await client.send(new GetCostAndUsageCommand(DAY_INPUT(day, next)))).ResultsByTime!;
      expect(early[0]!.Estimated).toBe(true);
      // 00:01:00: 23:59 is published; the day is complete and final.
      setClock(midnight + 60_000);
      const final = (await client.send(new GetCostAndUsageCommand(DAY_INPUT(day, next)))).ResultsByTime!;
      expect(final[0]!.Estimated).toBe(false);
      expect(requests(final)).toBeGreaterThan(requests(early));
      setClock(midnight + 6 * 3_600_000);
      expect((await client.send(new GetCostAndUsageCommand(DAY_INPUT(day, next)))).ResultsByTime).toEqual(final);
    });
  });
});
