import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollectionPass } from "@/infra/local/scheduler";
import { formatAccountsSetting, hostedAccounts } from "@/infra/local/sim/accounts";
import type { FaultRuleInput } from "@/infra/local/sim/faults";
import { SIM_SERVICES } from "@/infra/local/sim/wire";
import { dumpTable, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * Every fault the issue names at once, on every service the collectors call — STS included,
 * since `ecommerce` hosts a member account read through AssumeRole: 30 % throttling, a burst
 * of 5xx, slow responses, and every paginated API cut to short pages. The passes the scheduler
 * runs (the first, then the retries after a failure) must end with the table of a fault-free
 * pass. Too slow for `npm test`: the SDK's adaptive retry mode slows its own sending while
 * throttled. (tests/integration/collectors-under-faults.test.ts has the quick version.)
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);

const ALL_FAULTS: FaultRuleInput[] = [
  ...SIM_SERVICES.flatMap((service): FaultRuleInput[] => [
    { kind: "throttle", service, ratio: 0.3 },
    { kind: "server-error", service, count: 3 },
    { kind: "latency", service, addedMs: 30 },
  ]),
  { kind: "latency", service: "cloudwatch", operation: "GetMetricData", addedMs: 1_000 },
  { kind: "latency", service: "logs", operation: "GetQueryResults", addedMs: 500 },
  { kind: "truncated-pages", service: "lambda", pageSize: 5 },
  { kind: "truncated-pages", service: "logs", pageSize: 3 },
  { kind: "truncated-pages", service: "cloudwatch", pageSize: 1_000 },
  // Large enough that the exemplar search's page guard (10 short pages per budgeted page) is not reached.
  { kind: "truncated-pages", service: "xray", pageSize: 20 },
  { kind: "truncated-pages", service: "ce", pageSize: 40 },
];

let stack: Awaited<ReturnType<typeof startCollectorStack>>;

beforeAll(async () => {
  stack = await startCollectorStack({ scenario: "ecommerce", now: () => NOW });
});

afterAll(async () => {
  await stack?.close();
});

describe("collectors under every fault at once", () => {
  it("throttling, 5xx, slow responses and short pages on every service, both accounts: the table of a fault-free run", async () => {
    const env = { SIGHTLINE_ACCOUNTS: formatAccountsSetting(hostedAccounts(stack.scenario)), BACKFILL_HOURS: "3" };
    const clean = await stack.runtimeFor(env);
    expect((await runCollectionPass(clean, { nowMs: NOW, force: true })).ok).toBe(true);
    stack.sim.resetRequestCounts();
    stack.sim.faults.set(ALL_FAULTS);
    try {
      const faulty = await stack.runtimeFor(env);
      const passes = [await runCollectionPass(faulty, { nowMs: NOW, force: true })];
      while (!passes.at(-1)!.ok && passes.length < 8) passes.push(await runCollectionPass(faulty, { nowMs: NOW }));
      const failures = passes.flatMap((p) => p.runs.filter((r) => r.error).map((r) => `${r.collector} ${r.accountId}: ${r.error}`));
      const served = stack.sim.requestCounts();
      console.log(`all faults: ${passes.length} passes, ${failures.length} failed runs, ${served.total} requests served (faulted ones included); per service ${JSON.stringify(Object.fromEntries(Object.entries(served.services).map(([s, ops]) => [s, Object.values(ops).reduce((a, b) => a + b, 0)])))}${failures.length > 0 ? `\n  ${failures.join("\n  ")}` : ""}`);
      expect(passes.at(-1)!.ok, failures.join("\n")).toBe(true);
      // Both accounts were read, the member through STS (which was throttled too).
      expect(served.services.sts?.AssumeRole ?? 0).toBeGreaterThan(0);
      const [got, want] = [await dumpTable(faulty), await dumpTable(clean)];
      const keyOf = (line: string) => { const item = JSON.parse(line) as { pk: string; sk: string }; return `${item.pk} ${item.sk}`; };
      const differing = [...new Set([...want.filter((l) => !got.includes(l)), ...got.filter((l) => !want.includes(l))].map(keyOf))];
      expect(differing, `items that differ from the fault-free run's; failed runs:\n${failures.join("\n")}`).toEqual([]);
      expect(got).toEqual(want);
    } finally {
      stack.sim.faults.set([]);
    }
  });
});
