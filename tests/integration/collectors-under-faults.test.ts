import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollectionPass } from "@/infra/local/scheduler";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { dumpTable, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * Resilience through the real SDK: the simulator throttles 30 % of every service's requests
 * and fails a burst with 5xx. The SDK's adaptive retry mode backs off (and slows its own send
 * rate — which is why this file takes about a minute); a call still throttled after five
 * attempts fails its run, and the next pass resumes from the watermark. The table must end
 * equal to a fault-free run's. Its own file, so its waiting overlaps the other test files.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let account: { accountId: string; region: string };

beforeAll(async () => {
  // A small generated fleet: the point is every kind of call under faults, not volume — the
  // adaptive retry mode slows its own sending to about a request a second while throttled.
  stack = await startCollectorStack({ scenario: "fleet:4", now: () => NOW });
  account = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
});

afterAll(async () => {
  await stack?.close();
});

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

});
