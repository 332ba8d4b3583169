import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "@/infra/local/sim/server";

/**
 * Lambda writes through the real SDK client: they change the simulated account from the
 * minute they happen on (CloudWatch agrees), never the past, and survive a restart with a
 * state file.
 */
const scenario = loadScenario("ecommerce");
const { region } = scenario.account;
const MINUTE_MS = 60_000;
/** Friday 2026-11-27, 30 s into 12:00 UTC (the evening peak is around 19:00 UTC). */
const T = Date.UTC(2026, 10, 27, 12, 0, 30);
const T_MINUTE_START = Date.UTC(2026, 10, 27, 12, 0);
/** Lambda gives 1 vCPU per 1,769 MB (FACTS.md / DESIGN.md). */
const MB_PER_VCPU = 1769;
/** AWS keeps at least 100 executions unreserved per region (FACTS.md §4). */
const MIN_UNRESERVED = 100;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };

let clock = T;

interface Account {
  sim: RunningSimulator;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
}

const running: Account[] = [];

/** A simulator on the shared fake clock, with clients that never retry. */
async function startAccount(options: Partial<SimulatorOptions> = {}): Promise<Account> {
  const sim = await startSimulator({ scenario, port: 0, now: () => clock, ...options });
  const account = {
    sim,
    lambda: new LambdaClient({ endpoint: sim.url, region, credentials, maxAttempts: 1 }),
    cloudwatch: new CloudWatchClient({ endpoint: sim.url, region, credentials, maxAttempts: 1 }),
  };
  running.push(account);
  return account;
}

async function stop(account: Account): Promise<void> {
  account.lambda.destroy();
  account.cloudwatch.destroy();
  await account.sim.close();
  running.splice(running.indexOf(account), 1);
}

afterEach(async () => {
  for (const account of [...running]) await stop(account);
  clock = T;
});

const tempDir = mkdtempSync(join(tmpdir(), "sightline-sim-writes-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const declared = (name: string) => {
  const fn = scenario.functions.find((f) => f.name === name);
  if (fn === undefined) throw new Error(`scenario has no ${name}`);
  return fn;
};
/** Reserved concurrency the scenario declares across the region. */
const declaredReservedTotal = scenario.functions.reduce((total, fn) => total + (fn.reservedConcurrency ?? 0), 0);
const accountLimit = scenario.account.concurrentExecutionsLimit;

/** Rejection of a promise (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number; attempts?: number } };
  }
  throw new Error("expected the call to fail");
}

/** One metric of one function, per Period, as [epoch ms, value] pairs oldest first. */
type Points = [number, number][];

/** GetMetricData for several (metric, stat) of one function over [startMs, endMs). */
async function metrics(
  account: Account,
  functionName: string,
  stats: readonly (readonly [metricName: string, stat: string])[],
  startMs: number,
  endMs: number,
  periodSeconds = 60,
): Promise<Points[]> {
  const queries: MetricDataQuery[] = stats.map(([metricName, stat], i) => ({
    Id: `m${i}`,
    MetricStat: {
      Metric: { Namespace: "AWS/Lambda", MetricName: metricName, Dimensions: [{ Name: "FunctionName", Value: functionName }] },
      Period: periodSeconds,
      Stat: stat,
    },
  }));
  const out = await account.cloudwatch.send(
    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(startMs), EndTime: new Date(endMs), ScanBy: "TimestampAscending" }),
  );
  expect(out.NextToken).toBeUndefined();
  return stats.map((_, i) => {
    const result = out.MetricDataResults?.find((r) => r.Id === `m${i}`);
    const points: Points = (result?.Timestamps ?? []).map((t, j) => [t.getTime(), result?.Values?.[j] ?? Number.NaN]);
    return points.sort((a, b) => a[0] - b[0]);
  });
}

const valuesOf = (points: Points) => points.map(([, v]) => v);
const total = (points: Points) => points.reduce((s, [, v]) => s + v, 0);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe("UpdateFunctionConfiguration changes the future, not the past", () => {
  it("notifications-worker 128 → 1024 MB: earlier minutes stay as served, later ones are ~6× faster with no throttles or OOM kills", async () => {
    const fresh = await startAccount();
    const written = await startAccount();
    const fn = "notifications-worker";
    // 128 MB since the scenario's notifications-memory-cut (declared at 512 MB before it).
    expect((await fresh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).MemorySize).toBe(128);
    const STATS = [["Duration", "p50"], ["Duration", "Average"], ["Invocations", "Sum"], ["Errors", "Sum"], ["Throttles", "Sum"]] as const;
    const pastStart = T_MINUTE_START - 3 * 3_600_000;
    // At 12:00:30 CloudWatch has published up to 11:58 (the minute just completed is withheld).
    const publishedEnd = T_MINUTE_START - MINUTE_MS;
    const servedBefore = await metrics(written, fn, STATS, pastStart, publishedEnd);
    expect(servedBefore[0]!.length).toBe(179);

    const updated = await written.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 1024 }));
    expect(updated).toMatchObject({ MemorySize: 1024, LastUpdateStatus: "InProgress", LastModified: "2026-11-27T12:00:30.000+0000" });
    expect((await fresh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).MemorySize).toBe(128);

    // Seven and a half hours later, past the Friday 18:00 flash sale and into the evening peak.
    clock = Date.UTC(2026, 10, 27, 19, 30, 30);
    expect((await written.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).LastUpdateStatus).toBe("Successful");

    // The past: what was served before the write, and what a simulator without it serves.
    expect(await metrics(written, fn, STATS, pastStart, publishedEnd)).toEqual(servedBefore);
    const wholePast = await metrics(fresh, fn, STATS, pastStart, T_MINUTE_START);
    expect(wholePast[0]!.length).toBe(180);
    expect(await metrics(written, fn, STATS, pastStart, T_MINUTE_START)).toEqual(wholePast);

    // The future: from the first whole minute after the write to the last published one.
    const futureStart = T_MINUTE_START + MINUTE_MS;
    const futureEnd = Date.UTC(2026, 10, 27, 19, 29);
    const [p50Before, , invocationsBefore, errorsBefore, throttlesBefore] = await metrics(fresh, fn, STATS, futureStart, futureEnd);
    const [p50After, averageAfter, invocationsAfter, errorsAfter, throttlesAfter] = await metrics(written, fn, STATS, futureStart, futureEnd);

    // median ≈ ioMs + cpuMs × (arm64 factor) / vCPUs: 128 MB ≈ 0.072 vCPU, 1024 MB ≈ 0.58 vCPU.
    // The arm64 factor is not declared; bound it by 0.8..1 (Graviton is not slower than x86).
    const { cpuMs, ioMs } = declared(fn).duration;
    const medianMs = (memoryMb: number, cpuFactor: number) => ioMs + (cpuMs * cpuFactor) / (memoryMb / MB_PER_VCPU);
    const slowP50 = median(valuesOf(p50Before!));
    const fastP50 = median(valuesOf(p50After!));
    expect(slowP50).toBeGreaterThan(medianMs(128, 0.8) * 0.93);
    expect(slowP50).toBeLessThan(medianMs(128, 1) * 1.07);
    expect(fastP50).toBeGreaterThan(medianMs(1024, 0.8) * 0.93);
    expect(fastP50).toBeLessThan(medianMs(1024, 1) * 1.07);
    expect(slowP50 / fastP50).toBeGreaterThan(5);
    expect(median(valuesOf(averageAfter!))).toBeLessThan(slowP50 / 4);

    // Demand (served + throttled) comes from upstream and does not depend on the memory size.
    const demand = (invocations: Points, throttles: Points) => invocations.map(([t, v], i) => [t, v + (throttles[i]?.[1] ?? 0)]);
    expect(demand(invocationsAfter!, throttlesAfter!)).toEqual(demand(invocationsBefore!, throttlesBefore!));

    // At 128 MB the long durations hit the reserved concurrency at the flash sale and the
    // evening peak; at 1 GB concurrency is ~6× lower and nothing is throttled.
    expect(declared(fn).reservedConcurrency).toBeDefined();
    expect(total(throttlesBefore!)).toBeGreaterThan(1000);
    expect(total(throttlesAfter!)).toBe(0);

    // Errors: baseline 0.1 % plus out-of-memory kills at 128 MB (median use 110 MB, p99 126 MB);
    // at 1 GB only the baseline remains.
    const baseline = scenario.defaults.errorBaselineRatio;
    const errorRatio = (errors: Points, invocations: Points) => total(errors) / total(invocations);
    expect(errorRatio(errorsBefore!, invocationsBefore!)).toBeGreaterThan(baseline * 3);
    expect(errorRatio(errorsAfter!, invocationsAfter!)).toBeLessThan(baseline * 1.5);
  });

  it("refuses a second update while the first is in progress, and a stale RevisionId", async () => {
    const { lambda } = await startAccount();
    const fn = "inventory-queue-worker";
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 256, RevisionId: before.RevisionId }));

    clock = T + 4_000;
    const conflict = await failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Timeout: 60 })));
    expect(conflict).toBeInstanceOf(ResourceConflictException);
    expect(conflict.$metadata).toMatchObject({ httpStatusCode: 409, attempts: 1 });

    clock = T + 5_000;
    const stale = await failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Timeout: 60, RevisionId: before.RevisionId })));
    expect(stale).toBeInstanceOf(PreconditionFailedException);
    expect(stale.$metadata.httpStatusCode).toBe(412);

    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    expect(current).toMatchObject({ MemorySize: 256, Timeout: declared(fn).timeoutSeconds, LastUpdateStatus: "Successful" });
    expect(current.RevisionId).not.toBe(before.RevisionId);
    const retried = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Timeout: 60, RevisionId: current.RevisionId }));
    expect(retried).toMatchObject({ MemorySize: 256, Timeout: 60 });
  });

  it("validates MemorySize (128–10,240 MB) with a 400 that is not retried", async () => {
    const { lambda } = await startAccount();
    for (const MemorySize of [64, 10_241]) {
      const error = await failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "users-api", MemorySize })));
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    }
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "users-api" }))).MemorySize).toBe(declared("users-api").memoryMb);
  });
});

describe("UpdateFunctionCode", () => {
  const fn = "orders-api";
  const ZipFile = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);

  it("moves an x86_64 function to arm64 with new code", async () => {
    const { lambda } = await startAccount();
    expect(declared(fn).architecture).toBe("x86_64");
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile, Architectures: ["arm64"] }));
    expect(updated).toMatchObject({ Architectures: ["arm64"], LastUpdateStatus: "InProgress", LastModified: "2026-11-27T12:00:30.000+0000" });
    expect(updated.CodeSha256).not.toBe(before.CodeSha256);
    expect(updated.RevisionId).not.toBe(before.RevisionId);

    clock = T + 5_000;
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    expect(after).toMatchObject({ Architectures: ["arm64"], CodeSha256: updated.CodeSha256, LastUpdateStatus: "Successful", MemorySize: before.MemorySize });
  });

  it("requires a code source", async () => {
    const { lambda } = await startAccount();
    const error = await failure(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, Architectures: ["arm64"] })));
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).Architectures).toEqual(["x86_64"]);
  });

  it("conflicts with an update in progress (configuration or code) and checks RevisionId", async () => {
    const { lambda } = await startAccount();
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 2048 }));

    clock = T + 2_000;
    const conflict = await failure(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile, Architectures: ["arm64"] })));
    expect(conflict).toBeInstanceOf(ResourceConflictException);
    expect(conflict.$metadata.httpStatusCode).toBe(409);

    clock = T + 6_000;
    const stale = await failure(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile, Architectures: ["arm64"], RevisionId: before.RevisionId })));
    expect(stale).toBeInstanceOf(PreconditionFailedException);
    expect(stale.$metadata).toMatchObject({ httpStatusCode: 412, attempts: 1 });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).Architectures).toEqual(["x86_64"]);
  });

  it("ListVersionsByFunction lists $LATEST and the published version with the current configuration", async () => {
    const { lambda } = await startAccount();
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 2048 }));
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }));
    const alias = declared(fn).aliases[0]!;
    expect(Versions?.map((v) => v.Version)).toEqual(["$LATEST", String(alias.functionVersion)]);
    expect(Versions?.[0]?.MemorySize).toBe(2048);
  });
});

describe("provisioned concurrency", () => {
  it("is refused on $LATEST and on a qualifier the function does not have", async () => {
    const { lambda } = await startAccount();
    expect(declared("shipping-rates-api").aliases).toEqual([]);
    const latest = await failure(
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "shipping-rates-api", Qualifier: "$LATEST", ProvisionedConcurrentExecutions: 2 })),
    );
    expect(latest).toBeInstanceOf(InvalidParameterValueException);
    expect(latest.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    const unknown = await failure(
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "shipping-rates-api", Qualifier: "live", ProvisionedConcurrentExecutions: 2 })),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.$metadata.httpStatusCode).toBe(404);
    const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "shipping-rates-api" }));
    expect(listed.ProvisionedConcurrencyConfigs).toEqual([]);
  });

  it("orders-api live 4 → 20: IN_PROGRESS, READY two minutes later; invocations, durations and concurrency unchanged", async () => {
    const fresh = await startAccount();
    const written = await startAccount();
    const declaredPc = declared("orders-api").provisionedConcurrency[0]!;
    const pcInput = { FunctionName: "orders-api", Qualifier: declaredPc.qualifier };
    const initial = await written.lambda.send(new GetProvisionedConcurrencyConfigCommand(pcInput));
    expect(initial).toMatchObject({ RequestedProvisionedConcurrentExecutions: declaredPc.requestedExecutions, Status: "READY" });

    const put = await written.lambda.send(new PutProvisionedConcurrencyConfigCommand({ ...pcInput, ProvisionedConcurrentExecutions: 20 }));
    expect(put.$metadata.httpStatusCode).toBe(202);
    // While the new environments are allocated, the four already allocated keep serving.
    expect(put).toMatchObject({ RequestedProvisionedConcurrentExecutions: 20, AllocatedProvisionedConcurrentExecutions: declaredPc.requestedExecutions, Status: "IN_PROGRESS" });
    expect(await written.lambda.send(new GetProvisionedConcurrencyConfigCommand(pcInput))).toMatchObject({ Status: "IN_PROGRESS" });

    clock = T + MINUTE_MS;
    expect(await written.lambda.send(new GetProvisionedConcurrencyConfigCommand(pcInput))).toMatchObject({ Status: "IN_PROGRESS" });
    clock = T + 2 * MINUTE_MS;
    expect(await written.lambda.send(new GetProvisionedConcurrencyConfigCommand(pcInput))).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 20,
      AllocatedProvisionedConcurrentExecutions: 20,
      AvailableProvisionedConcurrentExecutions: 20,
      Status: "READY",
    });
    const listed = await written.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "orders-api" }));
    expect(listed.ProvisionedConcurrencyConfigs?.map((pc) => [pc.FunctionArn?.split(":").pop(), pc.RequestedProvisionedConcurrentExecutions])).toEqual([
      [declaredPc.qualifier, 20],
    ]);

    // Provisioned environments change where invocations run (warm, no spillover), not how
    // many there are or how long they take (init is not part of Duration).
    clock = T + 60 * MINUTE_MS;
    const STATS = [["Invocations", "Sum"], ["Duration", "p50"], ["Duration", "p99"], ["ConcurrentExecutions", "Maximum"], ["Throttles", "Sum"]] as const;
    const window = [T_MINUTE_START, T_MINUTE_START + 58 * MINUTE_MS] as const;
    const expected = await metrics(fresh, "orders-api", STATS, ...window);
    expect(expected[0]!.length).toBe(58);
    expect(await metrics(written, "orders-api", STATS, ...window)).toEqual(expected);
  });

  it("LastModified is when the configuration was put, to the second", async () => {
    const { lambda } = await startAccount();
    const input = { FunctionName: "orders-api", Qualifier: "live" };
    const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ ...input, ProvisionedConcurrentExecutions: 20 }));
    // The write happened at 12:00:30 (Lambda formats this field without milliseconds).
    expect(put.LastModified).toBe("2026-11-27T12:00:30+0000");
    expect((await lambda.send(new GetProvisionedConcurrencyConfigCommand(input))).LastModified).toBe("2026-11-27T12:00:30+0000");
  });

  it("cannot exceed the reserved concurrency; deleting it makes Get a 404", async () => {
    const { lambda } = await startAccount();
    const payments = declared("payments-api");
    const reserved = payments.reservedConcurrency!;
    const qualifier = payments.provisionedConcurrency[0]!.qualifier;
    const tooMany = await failure(
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "payments-api", Qualifier: qualifier, ProvisionedConcurrentExecutions: reserved + 1 })),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterValueException);
    const atReserve = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "payments-api", Qualifier: qualifier, ProvisionedConcurrentExecutions: reserved }));
    expect(atReserve.RequestedProvisionedConcurrentExecutions).toBe(reserved);

    const deleted = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "payments-api", Qualifier: qualifier }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const missing = await failure(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "payments-api", Qualifier: qualifier })));
    expect(missing).toBeInstanceOf(ProvisionedConcurrencyConfigNotFoundException);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const again = await failure(lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "payments-api", Qualifier: qualifier })));
    expect(again).toBeInstanceOf(ProvisionedConcurrencyConfigNotFoundException);
  });
});

describe("reserved concurrency", () => {
  const unreserved = async (lambda: LambdaClient) =>
    (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions;

  it("Put changes GetFunctionConcurrency, GetFunction.Concurrency and the account's unreserved pool; Delete removes it", async () => {
    const { lambda } = await startAccount();
    expect(declared("users-api").reservedConcurrency).toBeUndefined();
    expect(await unreserved(lambda)).toBe(accountLimit - declaredReservedTotal);

    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: 2 }));
    expect(put.ReservedConcurrentExecutions).toBe(2);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "users-api" }))).ReservedConcurrentExecutions).toBe(2);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: "users-api" }))).Concurrency).toEqual({ ReservedConcurrentExecutions: 2 });
    expect(await unreserved(lambda)).toBe(accountLimit - declaredReservedTotal - 2);

    const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "users-api" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "users-api" }))).ReservedConcurrentExecutions).toBeUndefined();
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: "users-api" }))).Concurrency).toBeUndefined();
    expect(await unreserved(lambda)).toBe(accountLimit - declaredReservedTotal);
  });

  it("must leave 100 unreserved: one more than that is a 400 InvalidParameterValueException, not retried", async () => {
    const { lambda } = await startAccount();
    const largest = accountLimit - declaredReservedTotal - MIN_UNRESERVED;
    const error = await failure(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: largest + 1 })));
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(await unreserved(lambda)).toBe(accountLimit - declaredReservedTotal);

    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: largest }));
    expect(await unreserved(lambda)).toBe(MIN_UNRESERVED);
    // Raising an existing reserve counts only the difference.
    const notifications = declared("notifications-worker").reservedConcurrency!;
    const raise = await failure(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "notifications-worker", ReservedConcurrentExecutions: notifications + 1 })));
    expect(raise).toBeInstanceOf(InvalidParameterValueException);
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "notifications-worker", ReservedConcurrentExecutions: notifications }));
  });

  it("must cover the function's provisioned concurrency", async () => {
    const { lambda } = await startAccount();
    const provisioned = declared("payments-api").provisionedConcurrency.reduce((s, pc) => s + pc.requestedExecutions, 0);
    const error = await failure(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "payments-api", ReservedConcurrentExecutions: provisioned - 1 })));
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "payments-api" }))).ReservedConcurrentExecutions).toBe(
      declared("payments-api").reservedConcurrency,
    );
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "payments-api", ReservedConcurrentExecutions: provisioned }));
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "payments-api" }))).ReservedConcurrentExecutions).toBe(provisioned);
  });

  it("users-api capped at 2 at the evening peak: Throttles appear from the write on, demand stays the same", async () => {
    clock = Date.UTC(2026, 10, 27, 19, 0, 30);
    const fresh = await startAccount();
    const written = await startAccount();
    const writeMinute = Date.UTC(2026, 10, 27, 19, 0);
    await written.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: 2 }));

    clock = Date.UTC(2026, 10, 27, 19, 30, 30);
    const STATS = [["Invocations", "Sum"], ["Throttles", "Sum"], ["ConcurrentExecutions", "Maximum"]] as const;
    const before = [writeMinute - 30 * MINUTE_MS, writeMinute] as const;
    const after = [writeMinute, writeMinute + 28 * MINUTE_MS] as const;
    const freshBefore = await metrics(fresh, "users-api", STATS, ...before);
    expect(await metrics(written, "users-api", STATS, ...before)).toEqual(freshBefore);
    expect(total(freshBefore[1]!)).toBe(0);

    const [invocations, throttles, concurrency] = await metrics(written, "users-api", STATS, ...after);
    const [freshInvocations, freshThrottles] = await metrics(fresh, "users-api", STATS, ...after);
    expect(total(freshThrottles!)).toBe(0);
    expect(throttles!.length).toBe(28);
    for (const [, value] of throttles!) expect(value).toBeGreaterThan(0);
    expect(Math.max(...valuesOf(concurrency!))).toBeLessThanOrEqual(2);
    expect(invocations!.map(([t, v], i) => [t, v + throttles![i]![1]])).toEqual(freshInvocations);
  });
});

describe("the state file", () => {
  const stateOf = async (account: Account) => {
    const { lambda } = account;
    const strip = <T extends { $metadata?: unknown }>({ $metadata: _, ...rest }: T) => rest;
    return {
      notifications: strip(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "notifications-worker" }))),
      users: strip(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "users-api" }))),
      orders: strip(await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "orders-api", Qualifier: "live" }))),
      settings: strip(await lambda.send(new GetAccountSettingsCommand({}))),
      notificationsDuration: await metrics(account, "notifications-worker", [["Duration", "p50"]], T_MINUTE_START - 30 * MINUTE_MS, T_MINUTE_START + 25 * MINUTE_MS),
      usersThrottles: await metrics(account, "users-api", [["Throttles", "Sum"]], T_MINUTE_START - 30 * MINUTE_MS, T_MINUTE_START + 25 * MINUTE_MS),
      // The users-api release is scheduled relative to the anchor day: its p99 jump shows where it is.
      usersP99: await metrics(account, "users-api", [["Duration", "p99"]], Date.UTC(2026, 10, 24), Date.UTC(2026, 10, 27), 3600),
    };
  };

  it("writes survive close() and a restart with the same file; the anchor day is kept when the clock moves on a day", async () => {
    const stateFile = join(tempDir, "restart", "account.json");
    const first = await startAccount({ stateFile });
    await first.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "notifications-worker", MemorySize: 1024 }));
    await first.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: 2 }));
    await first.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "orders-api", Qualifier: "live", ProvisionedConcurrentExecutions: 20 }));
    clock = T + 30 * MINUTE_MS;
    const answers = await stateOf(first);
    expect(answers.notifications.MemorySize).toBe(1024);
    expect(answers.users.ReservedConcurrentExecutions).toBe(2);
    expect(answers.orders).toMatchObject({ RequestedProvisionedConcurrentExecutions: 20, Status: "READY" });
    const anchorDay = first.sim.anchorDay;
    expect(anchorDay).toBe(Math.floor(T / 86_400_000));
    await stop(first);

    const second = await startAccount({ stateFile });
    expect(await stateOf(second)).toEqual(answers);
    const admin = await fetch(`${second.sim.url}/__sim/state`);
    expect(await admin.json()).toMatchObject({ scenario: "ecommerce", anchorDay, writes: 3 });
    await stop(second);

    clock = Date.UTC(2026, 10, 28, 0, 30, 30);
    const nextDay = await startAccount({ stateFile });
    expect(nextDay.sim.anchorDay).toBe(anchorDay);
    expect(await stateOf(nextDay)).toEqual(answers);

    // Without the file the same clock would anchor the account on the next day, and the
    // deploy (scheduled relative to the anchor) would move: proof the check above can fail.
    const unanchored = await startAccount();
    expect(unanchored.sim.anchorDay).toBe(anchorDay + 1);
    expect((await stateOf(unanchored)).usersP99).not.toEqual(answers.usersP99);
  });

  it("a state file for another seed, or corrupt JSON, makes startSimulator reject naming the file", async () => {
    const stateFile = join(tempDir, "other-seed.json");
    const first = await startAccount({ stateFile });
    await first.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "users-api", ReservedConcurrentExecutions: 2 }));
    await stop(first);
    const otherSeed = startSimulator({ scenario, port: 0, now: () => clock, seed: scenario.seed + 1, stateFile });
    await expect(otherSeed).rejects.toMatchObject({ name: "SimStateError" });
    await expect(otherSeed).rejects.toThrow(stateFile);

    const corruptFile = join(tempDir, "corrupt.json");
    writeFileSync(corruptFile, "{ this is not json");
    const corrupt = startSimulator({ scenario, port: 0, now: () => clock, stateFile: corruptFile });
    await expect(corrupt).rejects.toMatchObject({ name: "SimStateError" });
    await expect(corrupt).rejects.toThrow(corruptFile);
  });
});
