import { describe, expect, it } from "vitest";
import { parseScenario } from "@/infra/local/sim/load-scenario";
import { sampledCount } from "@/infra/local/sim/model/invocation-ids";
import { MinuteSeriesCache, createSimModel, type SimModel } from "@/infra/local/sim/model/minute-stats";
import type { Scenario } from "@/infra/local/sim/scenario-schema";
import { planMinute } from "@/infra/local/sim/model/minute-invocations";
import { buildServiceGraph, type ServiceWire } from "@/infra/local/sim/xray/service-graph";
import { spansOf, traceAt, type TraceRecord } from "@/infra/local/sim/xray/trace-record";

/**
 * The service graph on a tiny scenario: its shape (nodes typed as X-Ray types them), exact
 * counts, and agreement with the traces of the same requests, built one by one.
 */
const SHOP = `
version: 1
name: xray-shop
seed: 7
historyDays: 3
account: { id: "123456789012", region: us-east-1 }
xray: { sampling: { reservoirPerSecond: 0, fixedRate: 1 } }
services:
  - name: orders
    team: commerce
    api: { name: shop-api, stage: prod }
    functions:
      - name: create-order
        runtime: nodejs20.x
        memoryMb: 512
        timeoutSeconds: 10
        tracing: Active
        trigger: { type: api, route: "POST /orders" }
        calls:
          - { service: dynamodb, resource: orders-table, operation: write, perInvocation: 1, latencyMs: 8, errorRatio: 0.02 }
          - { service: sqs, resource: order-events, perInvocation: 0.5, latencyMs: 12 }
          - { service: lambda, resource: price-check, perInvocation: 1, latencyMs: 20 }
        traffic: { meanRatePerSecond: 2 }
        duration: { cpuMs: 20, ioMs: 40 }
        errors: { baselineRatio: 0.01 }
      - name: price-check
        runtime: nodejs20.x
        memoryMb: 256
        timeoutSeconds: 3
        tracing: Active
        reservedConcurrency: 1
        traffic: { meanRatePerSecond: 30 }
        duration: { cpuMs: 10, ioMs: 60 }
      - name: order-worker
        runtime: python3.12
        memoryMb: 256
        timeoutSeconds: 30
        tracing: Active
        trigger: { type: sqs, queue: order-events }
        calls:
          - { service: http, resource: api.payments.example, latencyMs: 80 }
        traffic: { follows: create-order, ratio: 0.5 }
        duration: { cpuMs: 10, ioMs: 90 }
      - name: untraced-report
        runtime: nodejs20.x
        memoryMb: 128
        timeoutSeconds: 3
        calls:
          - { service: dynamodb, resource: reports-table }
        traffic: { meanRatePerSecond: 0.5 }
        duration: { cpuMs: 5, ioMs: 5 }
`;
const scenario = parseScenario(SHOP);
const ANCHOR_DAY = Math.floor(Date.UTC(2026, 10, 27) / 86_400_000);
const DAY_START = (ANCHOR_DAY - 1) * 1440;
const modelOf = (s: Scenario): SimModel => createSimModel(s, { anchorDay: ANCHOR_DAY });
const model = modelOf(scenario);

const byKey = (services: ServiceWire[]) => new Map(services.map((s) => [`${s.Type}|${s.Name}`, s]));
const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

interface Tally {
  ok: number;
  fault: number;
  throttle: number;
  total: number;
}
const emptyTally = (): Tally => ({ ok: 0, fault: 0, throttle: 0, total: 0 });

/** Every sampled trace of the window, built one by one. */
function allTraces(m: SimModel, fromMinute: number, length: number): TraceRecord[] {
  const cache = new MinuteSeriesCache(m, fromMinute, length);
  const traces: TraceRecord[] = [];
  for (const fn of m.fleet.functions) {
    const series = cache.series(fn.name)!;
    for (let i = 0; i < length; i++) {
      const plan = planMinute(m, series, i);
      for (let k = 0; k < plan.invocations + plan.sampledThrottles; k++) {
        const trace = traceAt(m, plan, k);
        if (trace !== undefined) traces.push(trace);
      }
    }
  }
  return traces;
}

describe("service graph shape", () => {
  const services = buildServiceGraph(model, "us-east-1", { startMinute: DAY_START + 600, endMinute: DAY_START + 660 });
  const nodes = byKey(services);
  const edgeTargets = (key: string) => nodes.get(key)!.Edges.map((e) => `${services[e.ReferenceId]!.Type}|${services[e.ReferenceId]!.Name}`).sort();

  it("has the client → API stage → Lambda → function → downstream chain, typed like X-Ray", () => {
    expect([...nodes.keys()].sort()).toEqual([
      "AWS::ApiGateway::Stage|shop-api/prod",
      "AWS::DynamoDB::Table|orders-table",
      "AWS::Lambda::Function|create-order",
      "AWS::Lambda::Function|order-worker",
      "AWS::Lambda::Function|price-check",
      "AWS::Lambda|create-order",
      "AWS::Lambda|order-worker",
      "AWS::Lambda|price-check",
      "AWS::SQS::Queue|order-events",
      "client|shop-api/prod",
      "remote|api.payments.example",
    ]);
    expect(edgeTargets("client|shop-api/prod")).toEqual(["AWS::ApiGateway::Stage|shop-api/prod"]);
    expect(edgeTargets("AWS::ApiGateway::Stage|shop-api/prod")).toEqual(["AWS::Lambda|create-order"]);
    expect(edgeTargets("AWS::Lambda|create-order")).toEqual(["AWS::Lambda::Function|create-order"]);
    expect(edgeTargets("AWS::Lambda::Function|create-order")).toEqual(["AWS::DynamoDB::Table|orders-table", "AWS::Lambda|price-check", "AWS::SQS::Queue|order-events"]);
    // The queue the worker is triggered by is the root of the worker's traces.
    expect(edgeTargets("AWS::SQS::Queue|order-events")).toEqual(["AWS::Lambda|order-worker"]);
    expect(edgeTargets("AWS::Lambda::Function|order-worker")).toEqual(["remote|api.payments.example"]);
  });

  it("marks the first service of each trace as root and gives clients and remote hosts no account", () => {
    const roots = services.filter((s) => s.Root === true).map((s) => `${s.Type}|${s.Name}`).sort();
    expect(roots).toEqual(["AWS::ApiGateway::Stage|shop-api/prod", "AWS::Lambda|price-check", "AWS::SQS::Queue|order-events"]);
    expect(nodes.get("client|shop-api/prod")!.AccountId).toBeUndefined();
    expect(nodes.get("client|shop-api/prod")!.SummaryStatistics).toBeUndefined();
    expect(nodes.get("remote|api.payments.example")!.AccountId).toBeUndefined();
    expect(nodes.get("AWS::DynamoDB::Table|orders-table")!.AccountId).toBe("123456789012");
  });

  it("leaves out untraced functions and the services only they call, and other regions", () => {
    expect(nodes.has("AWS::Lambda|untraced-report")).toBe(false);
    expect(nodes.has("AWS::DynamoDB::Table|reports-table")).toBe(false);
    expect(buildServiceGraph(model, "eu-west-1", { startMinute: DAY_START, endMinute: DAY_START + 60 })).toEqual([]);
  });

  it("has histograms that add up to each edge's and node's total", () => {
    for (const service of services) {
      for (const edge of service.Edges) {
        expect(edge.ResponseTimeHistogram.reduce((s, e) => s + e.Count, 0)).toBe(edge.SummaryStatistics.TotalCount);
      }
      if (service.SummaryStatistics !== undefined) {
        expect(service.ResponseTimeHistogram!.reduce((s, e) => s + e.Count, 0)).toBe(service.SummaryStatistics.TotalCount);
      }
    }
  });
});

describe("counts", () => {
  it("with 100 % sampling, the edge into each function equals the model's invocations, and throttles sit on the Lambda node", () => {
    const services = byKey(buildServiceGraph(model, "us-east-1", { startMinute: DAY_START, endMinute: DAY_START + 1440 }));
    const cache = new MinuteSeriesCache(model, DAY_START, 1440);
    for (const name of ["create-order", "price-check", "order-worker"]) {
      const series = cache.series(name)!;
      const lambda = services.get(`AWS::Lambda|${name}`)!;
      const intoFunction = lambda.Edges.find((e) => e.ReferenceId === services.get(`AWS::Lambda::Function|${name}`)!.ReferenceId)!;
      expect(intoFunction.SummaryStatistics.TotalCount).toBe(sum(series.invocations));
      expect(intoFunction.SummaryStatistics.FaultStatistics.TotalCount).toBe(sum(series.errors));
      expect(lambda.SummaryStatistics!.ErrorStatistics.ThrottleCount).toBe(sum(series.throttles));
    }
    // price-check runs into its reserved concurrency of 1: the scenario is built to throttle.
    expect(sum(cache.series("price-check")!.throttles)).toBeGreaterThan(0);
    expect(services.get("AWS::Lambda::Function|price-check")!.SummaryStatistics!.ErrorStatistics.ThrottleCount).toBe(0);
  });

  it("with AWS's default sampling, counts the sampled requests: 1/s reservoir plus 5 %", () => {
    const sampled = modelOf({ ...scenario, xray: { sampling: { reservoirPerSecond: 1, fixedRate: 0.05 } } });
    const services = byKey(buildServiceGraph(sampled, "us-east-1", { startMinute: DAY_START, endMinute: DAY_START + 120 }));
    const series = new MinuteSeriesCache(sampled, DAY_START, 120).series("create-order")!;
    let expected = 0;
    for (let i = 0; i < 120; i++) expected += sampledCount(sampled, series.fn, DAY_START + i, series.invocations[i]!);
    const functionNode = services.get("AWS::Lambda::Function|create-order")!;
    expect(functionNode.SummaryStatistics!.TotalCount).toBe(expected);
    expect(expected).toBeLessThan(sum(series.invocations));
  });

  it("agrees with the traces of the same requests, node by node and edge by edge", () => {
    const from = DAY_START + 900;
    const length = 10;
    const services = buildServiceGraph(model, "us-east-1", { startMinute: from, endMinute: from + length });
    const nodeTally = new Map<string, Tally>();
    const edgeTally = new Map<string, Tally>();
    const add = (map: Map<string, Tally>, key: string, status: string) => {
      const tally = map.get(key) ?? emptyTally();
      if (status === "ok") tally.ok++;
      else if (status === "fault") tally.fault++;
      else if (status === "throttle") tally.throttle++;
      tally.total++;
      map.set(key, tally);
    };
    const traces = allTraces(model, from, length);
    for (const trace of traces) {
      for (const span of spansOf(trace)) {
        add(nodeTally, `${span.node.type}|${span.node.name}`, span.status);
        if (span.parent !== undefined) add(edgeTally, `${span.parent.type}|${span.parent.name}>${span.node.type}|${span.node.name}`, span.status);
      }
    }
    expect(traces.some((t) => t.outcome === "throttled")).toBe(true);
    expect(traces.some((t) => t.outcome !== "ok" && t.outcome !== "throttled")).toBe(true);
    for (const service of services) {
      const key = `${service.Type}|${service.Name}`;
      if (service.SummaryStatistics !== undefined) {
        const stats = service.SummaryStatistics;
        expect({ key, ok: stats.OkCount, fault: stats.FaultStatistics.TotalCount, throttle: stats.ErrorStatistics.ThrottleCount, total: stats.TotalCount })
          .toEqual({ key, ...nodeTally.get(key)! });
      }
      for (const edge of service.Edges) {
        const target = services[edge.ReferenceId]!;
        const edgeKey = `${key}>${target.Type}|${target.Name}`;
        const stats = edge.SummaryStatistics;
        expect({ edgeKey, ok: stats.OkCount, fault: stats.FaultStatistics.TotalCount, throttle: stats.ErrorStatistics.ThrottleCount, total: stats.TotalCount })
          .toEqual({ edgeKey, ...edgeTally.get(edgeKey)! });
      }
    }
  });
});
