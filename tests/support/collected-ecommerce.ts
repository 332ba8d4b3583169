import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { inventoryCollector } from "@/collectors/inventory";
import { metricsCollector } from "@/collectors/metrics";
import { logsInsightsCollector } from "@/collectors/logs-insights";
import { tracesCollector } from "@/collectors/traces";
import { analyzeCollector } from "@/collectors/analyze";
import { eventWindows } from "@/infra/local/sim/model/events";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import type { TimeWindow } from "@/lib/domain/shared/time";
import { startCollectorStack } from "@/tests/support/collector-stack";

/**
 * The `ecommerce` account collected into dynalite by the real collectors (inventory, metrics,
 * logs-insights, traces, analyze) over the `hours` before `nowMs`: the data the read models
 * (lib/queries) are tested on. `nowMs` defaults to two hours after the most recent
 * payment-provider degradation (the scenario's designed-in error burst on payments-api and
 * order-saga-process-payment) of the simulator's seed, so the default 24 h window holds it.
 */
export interface CollectedEcommerce {
  stack: Awaited<ReturnType<typeof startCollectorStack>>;
  runtime: CollectorRuntime;
  scope: { accountId: string; region: string };
  nowMs: number;
  /** The hours collected: [nowMs − hours, nowMs). */
  window: TimeWindow;
  /** The error burst inside the window, as the simulator's model schedules it. */
  paymentBurst: TimeWindow;
  /** Moves the simulator's clock (for stepping collections through time after the backfill). */
  setNow(epochMs: number): void;
  close(): Promise<void>;
}

const SEED = 1;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** A day the scenario's history covers; bursts are searched for in the week before it. */
const SEARCH_END_MS = Date.UTC(2026, 10, 26);

/** The last payment-provider degradation that starts before `beforeMs` under the default seed. */
function lastPaymentBurst(stack: CollectedEcommerce["stack"], beforeMs: number): TimeWindow {
  const model = createSimModel(stack.scenario, { seed: stack.sim.seed, anchorDay: stack.sim.anchorDay });
  const degradation = model.fleet.events.find((e) => e.name === "payment-provider-degradation");
  if (!degradation) throw new Error("the ecommerce scenario has no payment-provider-degradation event");
  const windows = eventWindows([degradation], (beforeMs - 7 * 24 * HOUR) / MINUTE, beforeMs / MINUTE, model.seed).filter((w) => w.endMinute * MINUTE <= beforeMs);
  const last = windows.at(-1);
  if (!last) throw new Error("no payment-provider degradation in the week searched");
  return { fromMs: last.startMinute * MINUTE, toMs: last.endMinute * MINUTE };
}

/**
 * Collects `hours` (default 24) ending at `nowMs`, or at `at(burst)` — by default two hours
 * after the last payment burst before 2026-11-26 (pass e.g. `(b) => b.fromMs + 20 * 60_000`
 * to stand in the middle of it).
 */
export async function collectEcommerce(options: { hours?: number; nowMs?: number; at?: (burst: TimeWindow) => number } = {}): Promise<CollectedEcommerce> {
  const hours = options.hours ?? 24;
  let nowMs = options.nowMs ?? SEARCH_END_MS;
  const stack = await startCollectorStack({ now: () => nowMs, seed: SEED });
  try {
    const paymentBurst = lastPaymentBurst(stack, options.nowMs ?? SEARCH_END_MS);
    if (options.nowMs === undefined) nowMs = (options.at ?? ((b) => b.toMs + 2 * HOUR + 30_000))(paymentBurst);
    const runtime = await stack.runtimeFor({ BACKFILL_HOURS: String(hours) });
    const scope = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
    for (const collector of [inventoryCollector, metricsCollector, logsInsightsCollector, tracesCollector, analyzeCollector]) {
      const run = await runCollector(runtime, collector, scope, { nowMs });
      if (run.outcome === "failed") throw new Error(`${collector.name} failed: ${run.error}`);
    }
    return {
      stack,
      runtime,
      scope,
      nowMs,
      window: { fromMs: nowMs - hours * HOUR, toMs: nowMs },
      paymentBurst,
      setNow: (epochMs) => {
        nowMs = epochMs;
      },
      close: () => stack.close(),
    };
  } catch (error) {
    await stack.close();
    throw error;
  }
}
