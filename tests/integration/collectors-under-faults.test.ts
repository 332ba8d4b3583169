import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollectionPass } from "@/infra/local/scheduler";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import type { FaultRuleInput } from "@/infra/local/sim/faults";
import type { SimServiceName } from "@/infra/local/sim/wire";
import { dumpTable, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * Resilience through the real SDK: the simulator throttles 30 % of every service's requests
 * and fails a burst with 5xx; then, separately, answers slowly and cuts every paginated API to
 * short pages. The SDK's adaptive retry mode backs off (and slows its own send rate — which is
 * why this file takes about a minute); a call still throttled after five attempts fails its
 * run, and the next pass resumes from the watermark. The table must end equal to a fault-free
 * run's. Its own file, so its waiting overlaps the other test files. Every fault at once, on
 * two accounts, is in tests/chaos/collectors-all-faults.test.ts (too slow for `npm test`).
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let account: { accountId: string; region: string };

beforeAll(async () => {
  // A small generated fleet: the point is every kind of call under faults, not volume — the
  // adaptive retry mode slows its own sending to about a request a second while throttled.
  // fleet:8 is the smallest with a traced function, so X-Ray's summaries and traces are read.
  stack = await startCollectorStack({ scenario: "fleet:8", now: () => NOW });
  account = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
});

afterAll(async () => {
  await stack?.close();
});

/**
 * Slow responses on every service, and every paginated API the collectors call cut to short
 * pages (CloudWatch's page is counted in datapoints, the others' in items): ListFunctions,
 * ListAliases, ListVersionsByFunction, ListProvisionedConcurrencyConfigs, DescribeLogGroups,
 * GetMetricData, GetServiceGraph, GetTraceSummaries, GetCostAndUsage(WithResources).
 */
const SLOW_AND_SHORT_PAGES: FaultRuleInput[] = [
  ...(["lambda", "cloudwatch", "logs", "xray", "ce", "sts"] as const).map((service) => ({ kind: "latency" as const, service, addedMs: 40 })),
  { kind: "latency", service: "cloudwatch", operation: "GetMetricData", addedMs: 800 },
  { kind: "truncated-pages", service: "lambda", pageSize: 1 },
  { kind: "truncated-pages", service: "logs", pageSize: 1 },
  { kind: "truncated-pages", service: "cloudwatch", pageSize: 500 },
  { kind: "truncated-pages", service: "xray", pageSize: 2 },
  { kind: "truncated-pages", service: "ce", pageSize: 10 },
];

/** Operations whose short pages must show as extra requests (the ones with more than a short page of answer on fleet:8). */
const PAGINATED: [SimServiceName, string][] = [
  ["lambda", "ListFunctions"],
  ["logs", "DescribeLogGroups"],
  ["cloudwatch", "GetMetricData"],
  ["xray", "GetServiceGraph"],
  // The exemplar search reads on through short pages to the summaries full pages hold.
  ["xray", "GetTraceSummaries"],
  ["ce", "GetCostAndUsage"],
  ["ce", "GetCostAndUsageWithResources"],
];

function countsAndReset() {
  const counts = stack.sim.requestCounts();
  stack.sim.resetRequestCounts();
  return counts;
}

const requests = (runs: readonly CollectorRun[]) => runs.reduce((n, r) => n + Object.values(r.apiUsage).reduce((m, u) => m + u.requests, 0), 0);

describe("collectors under injected faults", () => {
  it("under 30 % throttling and a burst of 5xx the passes end with the table of a fault-free run", { timeout: 240_000 }, async () => {
    const env = { SIGHTLINE_ACCOUNT_ID: account.accountId, BACKFILL_HOURS: "3" };
    const clean = await stack.runtimeFor(env);
    const cleanPass = await runCollectionPass(clean, { nowMs: NOW, force: true });
    expect(cleanPass.ok).toBe(true);
    // Every collector stored something, so the comparison below covers each kind of call.
    for (const collector of ["inventory", "metrics", "logs-insights", "traces", "costs"]) {
      expect(cleanPass.runs.find((r) => r.collector === collector)?.itemsWritten, collector).toBeGreaterThan(0);
    }
    stack.sim.faults.set([
      ...(["lambda", "cloudwatch", "logs", "xray", "ce"] as const).map((service) => ({ kind: "throttle" as const, service, ratio: 0.3 })),
      { kind: "server-error", service: "lambda", count: 3 },
      { kind: "server-error", service: "cloudwatch", count: 3 },
    ]);
    try {
      const faulty = await stack.runtimeFor(env);
      // A call still throttled after five attempts fails its run; the next pass (the scheduler
      // retries at once with backoff) resumes from the watermark.
      let pass = await runCollectionPass(faulty, { nowMs: NOW, force: true });
      for (let retry = 0; !pass.ok && retry < 4; retry++) pass = await runCollectionPass(faulty, { nowMs: NOW });
      expect(pass.ok).toBe(true);
      // The retries show in the ledger: more requests than the clean run made.
      const cleanRuns = await clean.ledger.listRecent({ sinceMs: 0, nowMs: Date.now(), limit: 100 });
      const faultyRuns = await faulty.ledger.listRecent({ sinceMs: 0, nowMs: Date.now(), limit: 100 });
      expect(requests(faultyRuns)).toBeGreaterThan(requests(cleanRuns));
      expect(await dumpTable(faulty)).toEqual(await dumpTable(clean));
    } finally {
      stack.sim.faults.set([]);
    }
  });

  it("with slow responses and every paginated API cut to short pages the pass ends with the table of a fault-free run", { timeout: 240_000 }, async () => {
    const env = { SIGHTLINE_ACCOUNT_ID: account.accountId, BACKFILL_HOURS: "3" };
    const clean = await stack.runtimeFor(env);
    countsAndReset();
    expect((await runCollectionPass(clean, { nowMs: NOW, force: true })).ok).toBe(true);
    const cleanCounts = countsAndReset();
    stack.sim.faults.set(SLOW_AND_SHORT_PAGES);
    try {
      const faulty = await stack.runtimeFor(env);
      const pass = await runCollectionPass(faulty, { nowMs: NOW, force: true });
      expect(pass.ok, pass.runs.map((r) => r.error).filter(Boolean).join("; ")).toBe(true);
      const faultyCounts = countsAndReset();
      // The short pages really were followed: each paginated operation took more requests.
      for (const [service, operation] of PAGINATED) {
        expect(faultyCounts.services[service]?.[operation] ?? 0, `${service} ${operation}`).toBeGreaterThan(cleanCounts.services[service]?.[operation] ?? 0);
      }
      expect(await dumpTable(faulty)).toEqual(await dumpTable(clean));
    } finally {
      stack.sim.faults.set([]);
    }
  });
});
