import { describe, expect, it } from "vitest";
import { parseScenario } from "@/infra/local/sim/load-scenario";
import { segmentIdFor, traceIdFor } from "@/infra/local/sim/model/invocation-ids";
import { MinuteSeriesCache, createSimModel } from "@/infra/local/sim/model/minute-stats";
import { NO_FAULTS, type SimContext } from "@/infra/local/sim/wire";
import { batchGetTraces } from "@/infra/local/sim/xray/batch-get-traces";
import { tracedFunctions } from "@/infra/local/sim/model/call-graph";
import { parseFilterExpression } from "@/infra/local/sim/xray/filter-expression";
import { planMinute } from "@/infra/local/sim/model/minute-invocations";
import { segmentDocuments } from "@/infra/local/sim/xray/segment-documents";
import { traceAt } from "@/infra/local/sim/xray/trace-record";
import { toTraceSummary } from "@/infra/local/sim/xray/trace-summary";
import { readWalkPage, type WalkQuery } from "@/infra/local/sim/xray/trace-walk";

/** Traces one by one: ids shared with Logs, summaries, segment documents, and the lazy walk. */
const scenario = parseScenario(`
version: 1
name: xray-traces
seed: 11
historyDays: 3
account: { id: "123456789012", region: us-east-1 }
services:
  - name: orders
    team: commerce
    api: { name: shop-api, stage: prod }
    functions:
      - name: orders-api
        runtime: nodejs20.x
        memoryMb: 1024
        timeoutSeconds: 29
        tracing: Active
        trigger: { type: api, route: "GET /orders/{id}" }
        calls:
          - { service: dynamodb, resource: orders-table, operation: read, perInvocation: 2, latencyMs: 6, errorRatio: 0.01 }
        traffic: { meanRatePerSecond: 11.574 }
        duration: { cpuMs: 30, ioMs: 40 }
        errors: { baselineRatio: 0.02 }
`);
const ANCHOR_DAY = Math.floor(Date.UTC(2026, 10, 27) / 86_400_000);
const model = createSimModel(scenario, { anchorDay: ANCHOR_DAY });
const fn = model.fleet.byName.get("orders-api")!;
const MINUTE = (ANCHOR_DAY - 1) * 1440 + 720;
const plan = planMinute(model, new MinuteSeriesCache(model, MINUTE, 1).series("orders-api")!, 0);

describe("a trace", () => {
  it("exists only for sampled invocations (AWS's default rule: 1/s reservoir then 5 %)", () => {
    expect(plan.sampled).toBeGreaterThanOrEqual(60);
    expect(plan.sampled).toBeLessThan(plan.invocations);
    expect(traceAt(model, plan, plan.sampled - 1)).toBeDefined();
    expect(traceAt(model, plan, plan.sampled)).toBeUndefined();
  });

  it("is named by traceIdFor with its start second, as a Logs REPORT line names it", () => {
    const trace = traceAt(model, plan, 3)!;
    expect(trace.id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Number.parseInt(trace.id.slice(2, 10), 16)).toBe(Math.floor(trace.startMs / 1000));
    expect(trace.id).toBe(traceIdFor(model, fn, MINUTE, 3, Math.floor(trace.startMs / 1000)));
    expect(Math.floor(trace.startMs / 60_000)).toBe(MINUTE);
  });

  it("starts in index order within its minute", () => {
    const starts = Array.from({ length: plan.sampled }, (_, k) => traceAt(model, plan, k)!.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("summarises like X-Ray: HTTP of the API stage, entry point, services, ARNs", () => {
    const trace = traceAt(model, plan, 0)!;
    const summary = toTraceSummary(trace, "123456789012");
    expect(summary.Http?.HttpMethod).toBe("GET");
    expect(summary.Http?.HttpURL).toMatch(/^https:\/\/[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com\/prod\/orders\/[0-9a-z]+$/);
    expect(summary.EntryPoint).toEqual({ Name: "shop-api/prod", Names: ["shop-api/prod"], AccountId: "123456789012", Type: "AWS::ApiGateway::Stage" });
    expect(summary.ServiceIds.map((s) => s.Type)).toEqual(["AWS::ApiGateway::Stage", "AWS::Lambda", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]);
    expect(summary.ResourceARNs.map((a) => a.ARN)).toContain("arn:aws:lambda:us-east-1:123456789012:function:orders-api");
    expect(summary.ResponseTime).toBeLessThanOrEqual(summary.Duration);
    expect(summary.IsPartial).toBe(false);
  });

  it("has segment documents that chain parent ids from the API stage down to the DynamoDB call", () => {
    const trace = traceAt(model, plan, 1)!;
    const docs = segmentDocuments(model, trace).map((s) => ({ id: s.Id, doc: JSON.parse(s.Document) as Record<string, unknown> }));
    const byOrigin = new Map(docs.map((d) => [d.doc.origin, d.doc]));
    const stage = byOrigin.get("AWS::ApiGateway::Stage")!;
    const lambda = byOrigin.get("AWS::Lambda")!;
    const fnDoc = byOrigin.get("AWS::Lambda::Function")!;
    const table = byOrigin.get("AWS::DynamoDB::Table")!;
    expect((stage.subsegments as { id: string }[])[0]!.id).toBe(lambda.parent_id);
    expect(fnDoc.parent_id).toBe(lambda.id);
    expect(table.parent_id).toBe(fnDoc.id);
    expect(table.inferred).toBe(true);
    // The Lambda service segment is the SegmentId a REPORT line shows (segmentIdFor part 0).
    expect(lambda.id).toBe(segmentIdFor(model, fn, MINUTE, 1, 0));
    for (const { doc } of docs) {
      expect(doc.trace_id).toBe(trace.id);
      expect(doc.end_time as number).toBeGreaterThanOrEqual(doc.start_time as number);
    }
  });

  it("puts the failure's cause on the function segment and a 502 on the API stage", () => {
    let failed = -1;
    for (let k = 0; k < plan.sampled && failed < 0; k++) if (traceAt(model, plan, k)!.outcome === "error") failed = k;
    expect(failed).toBeGreaterThanOrEqual(0);
    const trace = traceAt(model, plan, failed)!;
    expect(trace.http?.status).toBe(502);
    const fnDoc = segmentDocuments(model, trace).map((s) => JSON.parse(s.Document) as Record<string, unknown>).find((d) => d.origin === "AWS::Lambda::Function")!;
    expect(fnDoc.fault).toBe(true);
    expect((fnDoc.cause as { exceptions: { type: string }[] }).exceptions[0]!.type).toBe("Error");
  });
});

describe("the trace walk", () => {
  const day = (ANCHOR_DAY - 1) * 1440;
  const query = (overrides: Partial<WalkQuery> = {}): WalkQuery => ({
    functions: tracedFunctions(model, "us-east-1"),
    firstMinute: day,
    endMinute: day + 1440,
    inWindow: () => true,
    filter: undefined,
    samplingRatio: undefined,
    pageSize: 100,
    maxBuilt: 20_000,
    ...overrides,
  });

  it("builds only what one page needs, newest first, even over 24 hours", () => {
    const page = readWalkPage(model, query(), undefined);
    expect(page.traces).toHaveLength(100);
    expect(page.processed).toBe(100);
    // About 80 traces a minute are sampled: one page reaches back a minute or two, not a day.
    expect(page.next!.minute).toBeGreaterThanOrEqual(day + 1437);
    const minutes = page.traces.map((t) => t.minute);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
  });

  it("continues from its position without gaps or repeats", () => {
    const first = readWalkPage(model, query({ pageSize: 70 }), undefined);
    const second = readWalkPage(model, query({ pageSize: 70 }), first.next);
    const both = readWalkPage(model, query({ pageSize: 140 }), undefined);
    expect([...first.traces, ...second.traces].map((t) => t.id)).toEqual(both.traces.map((t) => t.id));
  });

  it("skips function-minutes that cannot match without building their traces", () => {
    const page = readWalkPage(model, query({ filter: parseFilterExpression("throttle"), firstMinute: day + 1380 }), undefined);
    expect(page.traces).toHaveLength(0);
    expect(page.next).toBeUndefined();
    expect(page.processed).toBeGreaterThan(60 * 60);
  });

  it("pauses after the build budget with a position to continue from", () => {
    const page = readWalkPage(model, query({ filter: parseFilterExpression("responsetime > 100"), maxBuilt: 500 }), undefined);
    expect(page.traces).toHaveLength(0);
    expect(page.processed).toBe(500);
    expect(page.next).toBeDefined();
  });
});

describe("looking a trace up by id", () => {
  const ctx: SimContext = { model, now: () => (ANCHOR_DAY + 1) * 86_400_000, faults: NO_FAULTS };

  it("finds it from the id alone, and not in another region", () => {
    const trace = traceAt(model, plan, 5)!;
    const found = batchGetTraces(ctx, "us-east-1", { TraceIds: [trace.id] });
    expect(found.Traces.map((t) => t.Id)).toEqual([trace.id]);
    expect(found.Traces[0]!.Duration).toBeCloseTo((trace.endMs - trace.startMs) / 1000, 3);
    expect(batchGetTraces(ctx, "eu-west-1", { TraceIds: [trace.id] }).UnprocessedTraceIds).toEqual([trace.id]);
  });

  it("resolves an id whose time part is another second of the same minute (a Logs start time) under that id", () => {
    const trace = traceAt(model, plan, 5)!;
    const second = Number.parseInt(trace.id.slice(2, 10), 16);
    const sameMinute = second % 60 === 59 ? second - 1 : second + 1;
    const logsId = `1-${sameMinute.toString(16).padStart(8, "0")}-${trace.id.slice(11)}`;
    const found = batchGetTraces(ctx, "us-east-1", { TraceIds: [logsId] });
    expect(found.Traces.map((t) => t.Id)).toEqual([logsId]);
    expect(found.Traces[0]!.Segments.every((s) => (JSON.parse(s.Document) as { trace_id: string }).trace_id === logsId)).toBe(true);
    // A second of another minute names no trace.
    const otherMinute = `1-${(second + 120).toString(16).padStart(8, "0")}-${trace.id.slice(11)}`;
    expect(batchGetTraces(ctx, "us-east-1", { TraceIds: [otherMinute] }).UnprocessedTraceIds).toEqual([otherMinute]);
  });

  it("does not serve minutes that are not published yet", () => {
    const early: SimContext = { ...ctx, now: () => MINUTE * 60_000 + 30_000 };
    const trace = traceAt(model, plan, 0)!;
    expect(batchGetTraces(early, "us-east-1", { TraceIds: [trace.id] }).UnprocessedTraceIds).toEqual([trace.id]);
  });
});
