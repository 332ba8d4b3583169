import { runInventory } from "@/collectors/inventory";
import { runMetrics } from "@/collectors/metrics";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { describeError } from "@/lib/use-cases/describe-error";

/**
 * The local stand-in for EventBridge Scheduler: it invokes the same collector entry points the
 * Lambda handlers call, in order (inventory, then metrics), on a fixed cadence.
 */
export interface RunReport {
  ok: boolean;
  startedAt: string;
  inventory: { ok: boolean; functions?: number; error?: string };
  metrics: { ok: boolean; kind?: string; apiCalls?: number; points?: number; error?: string };
}

export async function runCollectionOnce(runtime: CollectorRuntime, options: { json: boolean }): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const report: RunReport = { ok: true, startedAt, inventory: { ok: false }, metrics: { ok: false } };
  try {
    const inventory = await runInventory(runtime, {});
    report.inventory = { ok: true, functions: inventory.functionCount };
  } catch (error) {
    report.inventory = { ok: false, error: describeError(error) };
  }
  if (report.inventory.ok) {
    try {
      let lastPercent = -1;
      const metrics = await runMetrics(runtime, {}, ({ plan, slicesDone, pointsWritten }) => {
        if (plan.kind !== "backfill" || options.json) return;
        const percent = Math.round((slicesDone / plan.slices.length) * 100);
        if (percent === lastPercent) return;
        lastPercent = percent;
        const hours = Math.round((plan.window.toMs - plan.window.fromMs) / 3_600_000);
        runtime.log.info(`backfilling the last ${hours} h of metrics: ${percent}% (${pointsWritten.toLocaleString("en-US")} datapoints)`);
      });
      report.metrics = {
        ok: true,
        kind: "plan" in metrics ? metrics.plan.kind : metrics.outcome,
        apiCalls: metrics.apiCalls,
        points: metrics.pointsWritten,
      };
    } catch (error) {
      report.metrics = { ok: false, error: describeError(error) };
    }
  }
  report.ok = report.inventory.ok && report.metrics.ok;
  if (!report.ok) runtime.log.error(`collection failed: ${report.inventory.error ?? report.metrics.error}`);
  return report;
}

/**
 * Runs forever: a run at once (the backfill on first start), then one a few seconds after each
 * minute boundary, so the minute just ended is complete. After a failure it retries with
 * exponential backoff (5 s doubling, capped at the interval) instead of waiting a whole interval.
 * Tells a supervising parent, over IPC, when the first run has finished (ok or not).
 */
export async function runCollectionLoop(runtime: CollectorRuntime, options: { intervalSeconds: number; json: boolean }): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Supervised: stop with the supervisor, even one that was SIGKILLed.
  if (process.connected) process.once("disconnect", stop);
  let first = true;
  let failures = 0;
  while (!stopping) {
    const report = await runCollectionOnce(runtime, options);
    if (options.json) console.log(JSON.stringify(report));
    if (first) {
      process.send?.({ type: "first-run", ok: report.ok, error: report.inventory.error ?? report.metrics.error ?? null });
      first = false;
    }
    failures = report.ok ? 0 : failures + 1;
    const intervalMs = options.intervalSeconds * 1000;
    const delayMs = report.ok
      ? intervalMs - (Date.now() % intervalMs) + 5_000
      : Math.min(intervalMs, 5_000 * 2 ** (failures - 1));
    if (!report.ok) runtime.log.info(`retrying in ${Math.round(delayMs / 1000)} s`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, delayMs);
    });
  }
}
