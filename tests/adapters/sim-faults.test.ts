import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  ServiceException,
  TooManyRequestsException,
  paginateListFunctions,
} from "@aws-sdk/client-lambda";
import { loadScenario, parseScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "@/infra/local/sim/server";

/**
 * Faults on demand and request counts, observed the way a collector meets them: through the
 * real SDK clients (their error types, statuses and retries) and the loopback admin endpoint.
 */
const scenario = loadScenario("ecommerce");
const { region } = scenario.account;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };
const FUNCTION_NAMES = scenario.functions.map((f) => f.name);

let sim: RunningSimulator;
let cloudwatch: CloudWatchClient;
let lambda: LambdaClient;
/** Retries 5xx like a default client (3 attempts). */
let retryingLambda: LambdaClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW });
  cloudwatch = new CloudWatchClient({ endpoint: sim.url, region, credentials, maxAttempts: 1 });
  lambda = new LambdaClient({ endpoint: sim.url, region, credentials, maxAttempts: 1 });
  retryingLambda = new LambdaClient({ endpoint: sim.url, region, credentials, maxAttempts: 3 });
});

afterAll(async () => {
  cloudwatch?.destroy();
  lambda?.destroy();
  retryingLambda?.destroy();
  await sim?.close();
});

beforeEach(() => {
  sim.faults.set([]);
  sim.resetRequestCounts();
});

type SdkError = Error & { $fault?: string; $metadata: { httpStatusCode?: number; attempts?: number }; Code?: string };

/** The rejection of `promise`, or `undefined` when it resolves. */
async function outcome(promise: Promise<unknown>): Promise<SdkError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as SdkError;
  }
}

function getMetricData(client: CloudWatchClient) {
  return client.send(
    new GetMetricDataCommand({
      MetricDataQueries: [
        {
          Id: "m0",
          MetricStat: {
            Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "orders-api" }] },
            Period: 60,
            Stat: "Sum",
          },
        },
      ],
      StartTime: new Date(NOW - 3_600_000),
      EndTime: new Date(NOW),
    }),
  );
}

async function admin(path: string, init: RequestInit = {}): Promise<{ status: number; errorType: string | null; body: unknown }> {
  const response = await fetch(`${sim.url}/__sim/${path}`, init);
  return { status: response.status, errorType: response.headers.get("x-amzn-errortype"), body: await response.json() };
}

const putFaults = (body: unknown) => admin("faults", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("request faults through the SDK", () => {
  it("throttle ratio 0.5 on GetMetricData fails every other call with CloudWatch's throttling error (400)", async () => {
    sim.faults.set([{ kind: "throttle", service: "cloudwatch", operation: "GetMetricData", ratio: 0.5 }]);
    const results: (SdkError | undefined)[] = [];
    for (let i = 0; i < 6; i++) results.push(await outcome(getMetricData(cloudwatch)));

    const failed = results.map((error) => error !== undefined);
    expect(failed.filter(Boolean)).toHaveLength(3);
    for (let i = 1; i < failed.length; i++) expect(failed[i]).not.toBe(failed[i - 1]);
    // CloudWatch is awsQueryCompatible: the SDK names the error after the query error code in
    // `x-amzn-query-error` ("Throttling", CloudWatch's code since the Query API), as it would
    // for the real service; the SDK's retry strategy counts "Throttling" as a throttle.
    for (const error of results.filter((e) => e !== undefined)) {
      expect(error).toMatchObject({ name: "Throttling", Code: "Throttling", $fault: "client", $metadata: { httpStatusCode: 400, attempts: 1 } });
    }
    // Lambda is not covered by the rule.
    await expect(lambda.send(new GetAccountSettingsCommand({}))).resolves.toBeDefined();
    expect(sim.requestCounts().services.cloudwatch).toEqual({ GetMetricData: 6 });
  });

  it("the calls a throttle rule lets through are answered normally", async () => {
    const unfaulted = await getMetricData(cloudwatch);
    sim.faults.set([{ kind: "throttle", service: "cloudwatch", ratio: 0.5 }]);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const result = await getMetricData(cloudwatch).catch(() => undefined);
      if (result !== undefined) answers.push(result.MetricDataResults);
    }
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer).toEqual(unfaulted.MetricDataResults);
    expect(unfaulted.MetricDataResults?.[0]?.Values?.length).toBeGreaterThan(50);
  });

  it("a Lambda throttle is a 429 TooManyRequestsException", async () => {
    sim.faults.set([{ kind: "throttle", service: "lambda", operation: "GetFunction", ratio: 1 }]);
    const error = await outcome(lambda.send(new GetFunctionCommand({ FunctionName: "orders-api" })));
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ $fault: "client", retryAfterSeconds: "1", $metadata: { httpStatusCode: 429, attempts: 1 } });
    // Other Lambda operations are not covered by the rule.
    await expect(lambda.send(new GetAccountSettingsCommand({}))).resolves.toBeDefined();
  });

  it("server-error count 2: a client with 3 attempts succeeds on the third, and all 3 requests are counted", async () => {
    sim.faults.set([{ kind: "server-error", service: "lambda", ratio: 1, count: 2 }]);
    const answer = await retryingLambda.send(new GetFunctionCommand({ FunctionName: "orders-api" }));
    expect(answer.Configuration?.FunctionName).toBe("orders-api");
    expect(answer.$metadata.attempts).toBe(3);
    expect(sim.requestCounts()).toEqual({ total: 3, services: { lambda: { GetFunction: 3 } } });

    // The burst is over: the next call succeeds at once.
    const next = await retryingLambda.send(new GetFunctionCommand({ FunctionName: "orders-api" }));
    expect(next.$metadata.attempts).toBe(1);
  });

  it("a server error is a 5xx the SDK sees as a server fault", async () => {
    sim.faults.set([{ kind: "server-error", service: "lambda", operation: "ListFunctions", ratio: 1, count: 1 }]);
    const error = await outcome(lambda.send(new ListFunctionsCommand({})));
    expect(error).toBeInstanceOf(ServiceException);
    expect(error).toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500, attempts: 1 } });
  });

  it("latency adds at least addedMs to the operation it names, and not to others", async () => {
    const addedMs = 300;
    sim.faults.set([{ kind: "latency", service: "lambda", operation: "ListFunctions", addedMs }]);
    const timed = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await call();
      return performance.now() - started;
    };
    // Node timers may fire up to a millisecond before performance.now() says the delay is over.
    expect(await timed(() => lambda.send(new ListFunctionsCommand({})))).toBeGreaterThanOrEqual(addedMs - 1);
    // Whether other operations are delayed is decided by the rule, not measured (no timing upper bounds).
    expect(sim.faults.onRequest("lambda", "GetAccountSettings")).toEqual([]);
    expect(sim.faults.onRequest("lambda", "ListFunctions")).toEqual([{ kind: "latency", addedMs }]);
    expect((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.ConcurrentExecutions).toBe(scenario.account.concurrentExecutionsLimit);
  });

  it("truncated-pages on lambda: paginateListFunctions gets pages of that size with every function exactly once", async () => {
    const pageSize = 4;
    sim.faults.set([{ kind: "truncated-pages", service: "lambda", pageSize }]);
    const names: string[] = [];
    let pages = 0;
    // The client asks for 50 per page; the fault cuts each page short.
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 50 }, {})) {
      pages++;
      expect(page.Functions!.length).toBeLessThanOrEqual(pageSize);
      names.push(...page.Functions!.map((f) => f.FunctionName!));
    }
    expect(pages).toBe(Math.ceil(FUNCTION_NAMES.length / pageSize));
    expect(names).toHaveLength(FUNCTION_NAMES.length);
    expect([...names].sort()).toEqual([...FUNCTION_NAMES].sort());
    expect(sim.requestCounts().services.lambda).toEqual({ ListFunctions: pages });
  });
});

describe("the admin endpoint", () => {
  it("GET/PUT/DELETE /__sim/faults: rules take effect at once and are removed again", async () => {
    expect(await admin("faults")).toMatchObject({ status: 200, body: { rules: [] } });
    const put = await putFaults({
      rules: [
        { kind: "throttle", service: "lambda", operation: "GetAccountSettings" },
        { kind: "logs-query-timeout" },
      ],
    });
    // Defaults are filled in: a throttle without ratio fails every request; Logs times out after 60 minutes.
    const expected = [
      { kind: "throttle", service: "lambda", operation: "GetAccountSettings", ratio: 1 },
      { kind: "logs-query-timeout", afterSeconds: 3600 },
    ];
    expect(put).toMatchObject({ status: 200, body: { rules: expected } });
    expect(await admin("faults")).toMatchObject({ status: 200, body: { rules: expected } });
    expect(sim.faults.rules()).toEqual(expected);
    expect(await outcome(lambda.send(new GetAccountSettingsCommand({})))).toBeInstanceOf(TooManyRequestsException);

    expect(await admin("faults", { method: "DELETE" })).toMatchObject({ status: 200, body: { rules: [] } });
    expect(await admin("faults")).toMatchObject({ body: { rules: [] } });
    await expect(lambda.send(new GetAccountSettingsCommand({}))).resolves.toBeDefined();
  });

  it("PUT /__sim/faults refuses invalid rules with a 400 naming the field, and keeps the rules in force", async () => {
    const inForce = [{ kind: "latency", service: "xray", addedMs: 5 }];
    expect((await putFaults({ rules: inForce })).status).toBe(200);
    const cases: [unknown, RegExp][] = [
      [{ rules: [{ kind: "throttle", service: "dynamodb" }] }, /rules\.0\.service/],
      [{ rules: [{ kind: "throttle", service: "lambda" }, { kind: "server-error", service: "lambda", ratio: 1.5 }] }, /rules\.1\.ratio.*between 0 and 1/],
      [{ rules: [{ kind: "truncated-pages", service: "lambda", pageSize: 0 }] }, /rules\.0\.pageSize/],
      [{ rules: [{ kind: "explode", service: "lambda" }] }, /rules\.0.*kind/],
      [{ rules: [{ kind: "latency", service: "lambda", addedMs: 10, colour: "red" }] }, /rules\.0/],
      [{}, /rules/],
    ];
    for (const [body, field] of cases) {
      const refused = await putFaults(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.errorType).toBe("ValidationException");
      expect((refused.body as { message: string }).message, JSON.stringify(body)).toMatch(field);
    }
    const notJson = await admin("faults", { method: "PUT", body: "rules: []" });
    expect(notJson).toMatchObject({ status: 400, errorType: "ValidationException" });
    expect(await admin("faults")).toMatchObject({ body: { rules: inForce } });
  });

  it("GET /__sim/requests counts the SDK calls per service and operation; DELETE returns them and starts again", async () => {
    await getMetricData(cloudwatch);
    await getMetricData(cloudwatch);
    for (const name of ["orders-api", "users-api", "payments-api"]) await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    await lambda.send(new ListFunctionsCommand({}));
    await lambda.send(new GetAccountSettingsCommand({}));
    const expected = {
      total: 7,
      services: { cloudwatch: { GetMetricData: 2 }, lambda: { GetFunction: 3, ListFunctions: 1, GetAccountSettings: 1 } },
    };
    // Admin requests are not AWS calls and are not counted.
    expect(await admin("requests")).toEqual({ status: 200, errorType: null, body: expected });
    expect(sim.requestCounts()).toEqual(expected);

    expect(await admin("requests", { method: "DELETE" })).toMatchObject({ status: 200, body: expected });
    expect(await admin("requests")).toMatchObject({ body: { total: 0, services: {} } });
    await lambda.send(new GetAccountSettingsCommand({}));
    expect(sim.requestCounts()).toEqual({ total: 1, services: { lambda: { GetAccountSettings: 1 } } });
  });

  it("GET /__sim/state describes the running account", async () => {
    expect(await admin("state")).toMatchObject({
      status: 200,
      body: {
        scenario: "ecommerce",
        seed: scenario.seed,
        anchorDay: Math.floor(NOW / 86_400_000),
        accountId: scenario.account.id,
        functions: FUNCTION_NAMES.length,
        nowMs: NOW,
        writes: 0,
      },
    });
  });

  it("refuses a client that is not on loopback, while still serving the AWS APIs to it", async () => {
    // An address of this machine outside 127.0.0.0/8: connecting to it from here, the
    // simulator sees that address as the client, exactly as it would see another host.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address !== undefined && address.family === "IPv4" && !address.internal);
    if (external === undefined) throw new Error("this test needs a non-loopback IPv4 interface on the machine");
    const exposed = await startSimulator({ scenario, port: 0, now: () => NOW, host: external.address });
    const client = new LambdaClient({ endpoint: exposed.url, region, credentials, maxAttempts: 1 });
    try {
      for (const [method, path] of [["GET", "faults"], ["PUT", "faults"], ["DELETE", "faults"], ["GET", "requests"], ["GET", "state"]] as const) {
        const response = await fetch(`${exposed.url}/__sim/${path}`, { method, ...(method === "PUT" ? { body: '{"rules":[{"kind":"throttle","service":"lambda"}]}' } : {}) });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.headers.get("x-amzn-errortype")).toBe("AccessDeniedException");
      }
      expect(exposed.faults.rules()).toEqual([]);
      await expect(client.send(new GetAccountSettingsCommand({}))).resolves.toBeDefined();
    } finally {
      client.destroy();
      await exposed.close();
    }
  });

  it("answers every loopback client (127.0.0.0/8 is loopback, not only 127.0.0.1)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${sim.url}/__sim/state`, { localAddress: "127.0.0.2" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
  });
});

describe("faults declared in the scenario", () => {
  const yaml = readFileSync(new URL("../../infra/local/sim/scenarios/ecommerce.yaml", import.meta.url), "utf8");
  const withFaults = parseScenario(
    `${yaml}\nfaults:\n  - { kind: throttle, service: lambda, operation: GetAccountSettings }\n  - { kind: truncated-pages, service: lambda, pageSize: 5 }\n`,
    "ecommerce+faults",
  );

  async function withSimulator<T>(options: Partial<SimulatorOptions>, use: (running: RunningSimulator, client: LambdaClient) => Promise<T>): Promise<T> {
    const running = await startSimulator({ scenario: withFaults, port: 0, now: () => NOW, ...options });
    const client = new LambdaClient({ endpoint: running.url, region, credentials, maxAttempts: 1 });
    try {
      return await use(running, client);
    } finally {
      client.destroy();
      await running.close();
    }
  }

  it("are in force from the first request", async () => {
    expect(withFaults.faults).toHaveLength(2);
    await withSimulator({}, async (_, client) => {
      const error = await outcome(client.send(new GetAccountSettingsCommand({})));
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect(error?.$metadata.httpStatusCode).toBe(429);
      const page = await client.send(new ListFunctionsCommand({ MaxItems: 50 }));
      expect(page.Functions).toHaveLength(5);
      expect(page.NextMarker).toBeDefined();
    });
  });

  it("startSimulator({ faults }) adds to them, and the admin endpoint shows both", async () => {
    await withSimulator({ faults: [{ kind: "latency", service: "cloudwatch", addedMs: 1 }] }, async (running) => {
      const response = await fetch(`${running.url}/__sim/faults`);
      const { rules } = (await response.json()) as { rules: { kind: string }[] };
      expect(rules.map((rule) => rule.kind)).toEqual(["throttle", "truncated-pages", "latency"]);
    });
  });
});
