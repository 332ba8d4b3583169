import { describe, expect, it, vi } from "vitest";
import { loadCollectorConfig } from "@/lib/config/collector-config";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollectionPass } from "@/infra/local/scheduler";
import { InMemoryRunLedgerStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

/**
 * A retry pass after a failure: the local scheduler retries at once (same instant, not forced),
 * and what the later phases read must be redone for the account whose collector recovered.
 * Found by tests/chaos/collectors-all-faults.test.ts: inventory throttled out on the first pass,
 * metrics had no functions to collect (it skipped, which counts as on time), and the retry
 * pass's recovered inventory was never followed by metrics — the account had no metrics.
 */

// Stand-ins with the real phase structure: inventory fails while `inventoryDown` is set; the
// later collectors collect only once an inventory is stored (as collect-metrics does).
const world = vi.hoisted(() => ({ inventoryDown: true, inventoryStored: false }));

vi.mock("@/collectors/_runtime/registry", () => {
  const stub = (name: "inventory" | "metrics" | "logs-insights" | "slos") => ({
    name,
    scope: "region" as const,
    async collect(runtime: CollectorRuntime, ctx: { accountId: string; region: string; nowMs: number }) {
      if (name === "inventory") {
        if (world.inventoryDown) throw new Error("TooManyRequestsException: Rate exceeded");
        world.inventoryStored = true;
      } else if (!world.inventoryStored) {
        return { outcome: "skipped" as const, itemsWritten: 0, window: null, note: "no functions stored yet (inventory runs first)" };
      }
      await runtime.watermarks.advance(name, ctx.accountId, ctx.region, ctx.nowMs);
      return { outcome: "collected" as const, itemsWritten: 1, window: null };
    },
  });
  return { ALL_COLLECTORS: [stub("inventory"), stub("metrics"), stub("logs-insights"), stub("slos")] };
});

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);

describe("runCollectionPass after a failed inventory", () => {
  it("runs the later phases again for the account once its inventory recovers in a retry pass", async () => {
    const runtime = {
      config: loadCollectorConfig({ AWS_REGION: "eu-west-1", SIGHTLINE_ACCOUNT_ID: "111111111111" }),
      log: { info: () => {}, error: () => {} },
      watermarks: new InMemoryWatermarkStore(),
      ledger: new InMemoryRunLedgerStore(),
      accounts: async () => [{ accountId: "111111111111", roleArn: null }],
      regions: () => ["eu-west-1"],
    } as unknown as CollectorRuntime;

    const first = await runCollectionPass(runtime, { nowMs: NOW, force: true, clock: () => NOW });
    expect(first.ok).toBe(false);
    expect(first.runs.map((r) => [r.collector, r.outcome])).toEqual([
      ["inventory", "failed"],
      ["metrics", "skipped"],
      ["logs-insights", "skipped"],
      ["slos", "skipped"],
    ]);

    world.inventoryDown = false;
    const retry = await runCollectionPass(runtime, { nowMs: NOW, clock: () => NOW });
    expect(retry.ok).toBe(true);
    expect(retry.runs.map((r) => [r.collector, r.outcome])).toEqual([
      ["inventory", "collected"],
      ["metrics", "collected"],
      ["logs-insights", "collected"],
      ["slos", "collected"],
    ]);

    // Nothing failing any more: a third pass at the same instant has nothing due.
    expect((await runCollectionPass(runtime, { nowMs: NOW, clock: () => NOW })).runs).toEqual([]);
  });
});
