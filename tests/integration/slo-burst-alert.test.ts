import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { detectionTimeMs } from "@/lib/domain/slo/burn-rate";
import { SRE_WORKBOOK_RULES } from "@/lib/domain/slo/alert-windows";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { importSlos } from "@/lib/use-cases/manage-slos";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { metricsCollector } from "@/collectors/metrics";
import { slosCollector } from "@/collectors/slos";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * The "done when": the `ecommerce` scenario's payment-provider degradation (8 % of
 * payments fail for 25 minutes) pages on payments-api's availability SLO (99.9 %, rolling 30
 * days, the scenario's default SLOs) within the time the SRE Workbook's math predicts, and the
 * page resolves after the burst. The account is backfilled for 3 days and 8 hours (so every
 * alert window is full), then the metrics collector and the SLO evaluator run minute by minute
 * through the burst, as the local scheduler runs them, with webhooks to a local receiver.
 */
const SLO_ID = "payments-availability";
const PAGE_1H = SRE_WORKBOOK_RULES.find((r) => r.severity === "page" && r.longWindowMs === HOUR_MS)!;
const PAGE_6H = SRE_WORKBOOK_RULES.find((r) => r.severity === "page" && r.longWindowMs === 6 * HOUR_MS)!;

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let collected: CollectedEcommerce;
let receiver: Server;
const received: Received[] = [];
/** Per evaluated minute (data through that minute): the SLO's status. */
const timeline: { throughMs: number; status: SloStatus }[] = [];
let statusesBeforeBurst: SloStatus[] = [];

async function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const base = await startReceiver();
  // Stand 3 minutes before the burst, with 3 days and 8 hours of history behind.
  collected = await collectEcommerce({ hours: 80, at: (burst) => burst.fromMs - 3 * MINUTE_MS + 30_000 });
  const { stack, scope } = collected;
  const slos = new DynamoSloStore(collected.runtime.doc, collected.runtime.tableName);
  const imported = await importSlos(slos, {
    yaml: readFileSync("infra/local/sim/scenarios/ecommerce.slos.yaml", "utf8"),
    defaults: scope,
    by: "test",
    nowMs: collected.nowMs,
  });
  if (!imported.ok) throw new Error(`the scenario's SLOs did not import: ${JSON.stringify(imported.errors)}`);
  const runtime = await stack.runtimeFor({ TABLE_NAME: collected.runtime.tableName, BACKFILL_HOURS: "80", SLO_WEBHOOKS: `json=${base}/hooks/json,slack=${base}/hooks/slack`, SIGHTLINE_CONSOLE_URL: "http://localhost:3000" });
  const step = async (nowMs: number) => {
    collected.setNow(nowMs);
    for (const collector of [metricsCollector, slosCollector]) {
      const run = await runCollector(runtime, collector, scope, { nowMs });
      if (run.outcome === "failed") throw new Error(`${collector.name} failed at ${new Date(nowMs).toISOString()}: ${run.error}`);
    }
    const status = await slos.getStatus(SLO_ID);
    if (status) timeline.push({ throughMs: status.throughMs, status });
  };
  await step(collected.nowMs);
  statusesBeforeBurst = await slos.listStatuses();
  const endMs = collected.paymentBurst.toMs + 35 * MINUTE_MS;
  for (let nowMs = collected.nowMs + MINUTE_MS; nowMs <= endMs; nowMs += MINUTE_MS) await step(nowMs);
}, 300_000);

afterAll(async () => {
  await collected?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

const burstMinute = (ms: number) => (ms - collected.paymentBurst.fromMs) / MINUTE_MS;

describe("the payment provider's degradation against payments-api's availability SLO", () => {
  it("is not paging before the burst, and every default SLO was evaluated", () => {
    const before = timeline[0]!;
    expect(before.throughMs).toBeLessThan(collected.paymentBurst.fromMs);
    expect(before.status.level).not.toBe("page");
    expect(statusesBeforeBurst.length).toBeGreaterThanOrEqual(6);
    expect(statusesBeforeBurst.filter((s) => s.problem !== null)).toEqual([]);
  });

  it("pages within the detection time the SRE Workbook's formula gives for an 8 % burst at 99.9 % (1 h window, burn rate 14.4)", () => {
    // (1 − SLO) / error ratio × window × threshold = 0.001 / 0.08 × 60 min × 14.4 = 10.8 min.
    const predictedMs = detectionTimeMs(0.08, 0.999, PAGE_1H.longWindowMs, PAGE_1H.burnRateThreshold)!;
    expect(predictedMs / MINUTE_MS).toBeCloseTo(10.8, 6);
    const firstPage = timeline.find((t) => t.status.level === "page");
    expect(firstPage, "the SLO never paged").toBeDefined();
    const firedAfterMinutes = burstMinute(firstPage!.throughMs);
    // Data arrives per whole minute, and the baseline's own errors (well under 0.1 %) only speed it up.
    expect(firedAfterMinutes).toBeGreaterThanOrEqual(predictedMs / MINUTE_MS - 1.5);
    expect(firedAfterMinutes).toBeLessThanOrEqual(predictedMs / MINUTE_MS + 1);
    const rule = firstPage!.status.rules.find((r) => r.longWindowMs === PAGE_1H.longWindowMs)!;
    expect(rule.firing).toBe(true);
    expect(rule.shortBurnRate!).toBeGreaterThan(50); // the 5-minute window is all burst: ≈ 80×
  });

  it("resolves after the burst: no sooner than the 5-minute short window clears, no later than the 30-minute one", () => {
    const lastPage = [...timeline].reverse().find((t) => t.status.level === "page")!;
    const resolved = timeline.find((t) => t.throughMs > lastPage.throughMs)!;
    expect(resolved.status.level).not.toBe("page");
    const afterEndMinutes = (resolved.throughMs - collected.paymentBurst.toMs) / MINUTE_MS;
    expect(afterEndMinutes).toBeGreaterThanOrEqual(PAGE_1H.shortWindowMs / MINUTE_MS);
    expect(afterEndMinutes).toBeLessThanOrEqual(PAGE_6H.shortWindowMs / MINUTE_MS + 1);
    // The page held continuously from when it fired to when it resolved.
    const firing = timeline.filter((t) => t.throughMs >= timeline.find((x) => x.status.level === "page")!.throughMs && t.throughMs <= lastPage.throughMs);
    expect(firing.every((t) => t.status.level === "page")).toBe(true);
  });

  it("sends one page and one resolve per webhook, however many minutes it burned, with account, region, service and SLO", () => {
    const json = received.filter((r) => r.path === "/hooks/json" && r.body.severity === "page" && (r.body.slo as { id: string }).id === SLO_ID);
    expect(json.map((r) => r.body.status)).toEqual(["firing", "resolved"]);
    for (const { body } of json) {
      expect(body).toMatchObject({ schema: "sightline.alert/v1", accountId: collected.scope.accountId, region: collected.scope.region, service: "payments" });
      expect(body.url).toBe(`http://localhost:3000/slos/${SLO_ID}`);
    }
    expect(json[0]!.body.dedupKey).toBe(json[1]!.body.dedupKey);
    const slack = received.filter((r) => r.path === "/hooks/slack" && String(r.body.text).startsWith("[PAGE]") && String(r.body.text).includes(`(${SLO_ID})`));
    expect(slack).toHaveLength(2);
    for (const { body } of slack) {
      const text = JSON.stringify(body);
      for (const fact of [collected.scope.accountId, collected.scope.region, "payments", "Payments"]) expect(text).toContain(fact);
      expect(Array.isArray(body.blocks)).toBe(true);
    }
    expect(String(slack[1]!.body.text)).toMatch(/resolved/i);
  });

  it("stores the page as an alert episode with its start and end", async () => {
    const slos = new DynamoSloStore(collected.runtime.doc, collected.runtime.tableName);
    const pages = (await slos.listAlerts(SLO_ID, collected.paymentBurst.fromMs - HOUR_MS)).filter((a) => a.severity === "page");
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page!.status).toBe("resolved");
    expect(page!.startedAtMs).toBe(timeline.find((t) => t.status.level === "page")!.throughMs);
    expect(page!.endedAtMs).toBeGreaterThan(collected.paymentBurst.toMs);
    expect(page!.notifiedAtMs).not.toBeNull();
    expect(page!.peakBurnRate).toBeGreaterThan(PAGE_1H.burnRateThreshold);
  });
});
