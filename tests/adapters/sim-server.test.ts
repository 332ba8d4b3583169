import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulator's HTTP layer: routing, error shapes, gzip, determinism, lifecycle. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const CW_HEADERS = {
  "content-type": "application/x-amz-json-1.0",
  "x-amz-target": "GraniteServiceVersion20100801.GetMetricData",
  "x-amzn-query-mode": "true",
};
const LAMBDA_AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00";

function metricDataBody(functionName = "orders-api"): string {
  return JSON.stringify({
    MetricDataQueries: ["Invocations", "Errors", "Duration"].map((metric, i) => ({
      Id: `m${i}`,
      MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: functionName }] }, Period: 60, Stat: metric === "Duration" ? "p99" : "Sum" },
    })),
    StartTime: NOW / 1000 - 7200,
    EndTime: NOW / 1000,
  });
}

let sim: Awaited<ReturnType<typeof startSimulator>>;

beforeAll(async () => {
  sim = await startSimulator({ scenario, seed: 7, now: () => NOW });
});

afterAll(async () => {
  await sim?.close();
});

describe("startSimulator", () => {
  it("listens on loopback on a random port by default", () => {
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
  });

  it("rejects with the original EADDRINUSE error when the port is taken", async () => {
    const error = await startSimulator({ scenario, port: sim.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
  });

  it("close() resolves while an SDK client still holds a keep-alive connection", async () => {
    const other = await startSimulator({ scenario, now: () => NOW });
    const client = new LambdaClient({ endpoint: other.url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" } });
    await client.send(new ListFunctionsCommand({}));
    const closed = await Promise.race([other.close().then(() => "closed"), new Promise((r) => setTimeout(() => r("timeout"), 3000))]);
    client.destroy();
    expect(closed).toBe("closed");
  });
});

describe("routing and errors", () => {
  it("routes REST requests signed for lambda to the Lambda API", async () => {
    const response = await fetch(`${sim.url}/2015-03-31/functions?MaxItems=2`, { headers: { authorization: LAMBDA_AUTH } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { Functions: unknown[]; NextMarker?: string };
    expect(body.Functions).toHaveLength(2);
    expect(body.NextMarker).toBeTypeOf("string");
  });

  it("answers an unknown CloudWatch operation with a 400 awsJson error", async () => {
    const response = await fetch(sim.url, { method: "POST", headers: { ...CW_HEADERS, "x-amz-target": "GraniteServiceVersion20100801.PutDashboard" }, body: "{}" });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toMatch(/^UnknownOperation;Sender$/);
    expect(((await response.json()) as { __type: string }).__type).toBe("UnknownOperationException");
  });

  it("answers a service it does not simulate with a 4xx, never a 5xx", async () => {
    const s3 = await fetch(`${sim.url}/my-bucket/key`, {
      method: "GET",
      headers: { authorization: LAMBDA_AUTH.replace("/lambda/", "/s3/") },
    });
    expect(s3.status).toBe(404);
    expect(s3.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    const sqs = await fetch(sim.url, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }, body: "{}" });
    expect(sqs.status).toBe(404);
  });

  it("answers a malformed JSON body with a 400 SerializationException", async () => {
    const response = await fetch(sim.url, { method: "POST", headers: CW_HEADERS, body: "{not json" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe("SerializationException");
  });
});

describe("GetMetricData over the raw wire", () => {
  it("responds with application/x-amz-json-1.0 and epoch-second timestamps", async () => {
    const response = await fetch(sim.url, { method: "POST", headers: CW_HEADERS, body: metricDataBody() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    const body = (await response.json()) as { MetricDataResults: { Timestamps: number[] }[]; Messages: unknown[] };
    expect(body.Messages).toEqual([]);
    const timestamps = body.MetricDataResults[0]!.Timestamps;
    expect(timestamps.length).toBeGreaterThan(100);
    for (const t of timestamps) expect(Number.isInteger(t) && t % 60 === 0).toBe(true);
  });

  it("accepts a gzip-encoded request body and answers exactly as for the plain one", async () => {
    const plain = await (await fetch(sim.url, { method: "POST", headers: CW_HEADERS, body: metricDataBody() })).text();
    const gzipped = await fetch(sim.url, {
      method: "POST",
      headers: { ...CW_HEADERS, "content-encoding": "gzip" },
      body: gzipSync(Buffer.from(metricDataBody())),
    });
    expect(gzipped.status).toBe(200);
    expect(await gzipped.text()).toBe(plain);
  });

  it("is byte-for-byte deterministic for the same scenario, seed and clock, and changes with the seed", async () => {
    const twin = await startSimulator({ scenario, seed: 7, now: () => NOW });
    const otherSeed = await startSimulator({ scenario, seed: 8, now: () => NOW });
    try {
      const ask = async (url: string) => (await fetch(url, { method: "POST", headers: CW_HEADERS, body: metricDataBody() })).text();
      const [a, b, c] = await Promise.all([ask(sim.url), ask(twin.url), ask(otherSeed.url)]);
      expect(a.length).toBeGreaterThan(1000);
      expect(b).toBe(a);
      expect(c).not.toBe(a);
    } finally {
      await twin.close();
      await otherSeed.close();
    }
  });
});
