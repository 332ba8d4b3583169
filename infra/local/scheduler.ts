import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import { collectorCadenceMinutes } from "@/lib/domain/collection/collector-cadence";
import { COLLECTOR_NAMES, type CollectorName, type CollectorRun } from "@/lib/domain/collection/collector-run";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { MINUTE_MS } from "@/lib/domain/shared/time";
import { describeError } from "@/lib/use-cases/describe-error";
import type { CollectorRuntime, Scope } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { ALL_COLLECTORS } from "@/collectors/_runtime/registry";
import { runCollector, scopesFor, type RunOptions } from "@/collectors/_runtime/run-collector";

/**
 * The local stand-in for EventBridge Scheduler: it runs the same collector definitions the
 * Lambda handlers run, in three phases per pass — inventory (the others read its functions),
 * then metrics, logs-insights, traces and costs side by side, then analyze and the SLO
 * evaluator (slos, which reads what the others stored) — each for every
 * account/region, COLLECT_CONCURRENCY at a time. A collector runs when its cadence is due
 * (or always with `force`, as `collect --once` does).
 */
export interface PassReport {
  ok: boolean;
  startedAtMs: number;
  nowMs: number;
  runs: CollectorRun[];
  /** A failure before any collector ran (e.g. the account could not be determined). */
  error: string | null;
}

export interface PassOptions extends Omit<RunOptions, "nowMs"> {
  nowMs?: number;
  /** Only these collectors (default: all). */
  only?: readonly CollectorName[];
  /** Run every selected collector regardless of its cadence. */
  force?: boolean;
  /**
   * Called once, as soon as every inventory and metrics run of the pass has finished (the
   * Functions page has its data), while logs, traces and costs may still be backfilling; at
   * the end of the pass when it had none.
   */
  onCoreDone?: (result: { ok: boolean; error: string | null }) => void;
}

const order = (run: CollectorRun) => COLLECTOR_NAMES.indexOf(run.collector);

/** The collectors the Functions page needs; the supervisor reports ready once they are done. */
const CORE_COLLECTORS: readonly CollectorName[] = ["inventory", "metrics"];

const PHASES: readonly (readonly CollectorName[])[] = [["inventory"], ["metrics", "logs-insights", "traces", "costs"], ["analyze", "slos"]];

/**
 * Whether a collector is due for a scope: never run, last run failed, or its cadence (minutes,
 * collectorCadenceMinutes with the configured METRICS_CADENCE_MINUTES) has passed since its
 * last attempt.
 */
export function isDue(cadenceMinutes: number, lastAttemptMs: number | undefined, failing: boolean, nowMs: number): boolean {
  if (lastAttemptMs === undefined || lastAttemptMs === 0 || failing) return true;
  // 30 s of slack: a pass a few seconds early on the minute still counts as on time.
  return nowMs - lastAttemptMs >= cadenceMinutes * MINUTE_MS - 30_000;
}

export async function runCollectionPass(runtime: CollectorRuntime, options: PassOptions = {}): Promise<PassReport> {
  const startedAtMs = Date.now();
  const nowMs = options.nowMs ?? startedAtMs;
  const selected = ALL_COLLECTORS.filter((c) => !options.only || options.only.includes(c.name));
  const runs: CollectorRun[] = [];
  let coreDone = false;
  const reportCore = (result: { ok: boolean; error: string | null }) => {
    if (coreDone) return;
    coreDone = true;
    options.onCoreDone?.(result);
  };
  try {
    const watermarks = new Map((await runtime.watermarks.list()).map((w) => [`${w.collector}#${w.accountId}#${w.region}`, w]));
    const cadence = cadenceSettingsOf(runtime.config);
    const phases: { definition: CollectorDefinition; scope: Scope }[][] = [];
    for (const phase of PHASES) {
      const jobs: { definition: CollectorDefinition; scope: Scope }[] = [];
      for (const definition of selected.filter((c) => phase.includes(c.name))) {
        for (const scope of await scopesFor(runtime, definition)) {
          const w = watermarks.get(`${definition.name}#${scope.accountId}#${scope.region}`);
          const due = isDue(collectorCadenceMinutes(definition.name, cadence), w?.lastAttemptMs, w?.lastError != null, nowMs);
          if (options.force || due) jobs.push({ definition, scope });
        }
      }
      phases.push(jobs);
    }
    let coreLeft = phases.flat().filter((j) => CORE_COLLECTORS.includes(j.definition.name)).length;
    for (const [index, jobs] of phases.entries()) {
      if (index > 0 && !options.force) {
        // A collector that failed before and has now caught up changes what the later phases
        // read: they run again for its account at once. An inventory that failed on the first
        // pass left metrics, logs, traces and costs nothing to collect (they skipped, which
        // counts as on time); analyze and the SLO evaluator would keep a tuning or SLO status
        // computed from incomplete data until their next cadence.
        const recovered = new Set(
          runs.filter((r) => r.outcome !== "failed" && watermarks.get(`${r.collector}#${r.accountId}#${r.region}`)?.lastError != null).map((r) => r.accountId),
        );
        for (const definition of selected.filter((c) => PHASES[index]!.includes(c.name))) {
          for (const scope of await scopesFor(runtime, definition)) {
            const queued = jobs.some((j) => j.definition === definition && j.scope.accountId === scope.accountId && j.scope.region === scope.region);
            if (!queued && recovered.has(scope.accountId)) jobs.push({ definition, scope });
          }
        }
      }
      // Jobs start in collector order, so metrics runs go first in their phase.
      await mapWithConcurrency(jobs, runtime.config.COLLECT_CONCURRENCY, async ({ definition, scope }) => {
        const run = await runCollector(runtime, definition, scope, { ...options, nowMs });
        runs.push(run);
        if (CORE_COLLECTORS.includes(definition.name) && --coreLeft === 0) {
          const failed = runs.find((r) => CORE_COLLECTORS.includes(r.collector) && r.outcome === "failed");
          reportCore({ ok: failed === undefined, error: failed ? `${failed.collector}: ${failed.error}` : null });
        }
      });
    }
    runs.sort((a, b) => order(a) - order(b) || a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
    const report: PassReport = { ok: runs.every((r) => r.outcome !== "failed"), startedAtMs, nowMs, runs, error: null };
    reportCore({ ok: report.ok, error: firstFailure(report) });
    return report;
  } catch (error) {
    const message = describeError(error);
    runtime.log.error(`collection failed: ${message}`);
    reportCore({ ok: false, error: message });
    return { ok: false, startedAtMs, nowMs, runs, error: message };
  }
}

/** The first failure of a pass, for one-line status messages. */
export function firstFailure(report: PassReport): string | null {
  const failed = report.runs.find((r) => r.outcome === "failed");
  return report.error ?? (failed ? `${failed.collector}: ${failed.error}` : null);
}

/**
 * Runs forever: a pass of every collector at once (the backfill on first start), then one a few seconds after
 * each minute boundary, so the minute just ended is complete. After a failure it retries with
 * exponential backoff (5 s doubling, capped at the interval) instead of waiting a whole interval.
 * Tells a supervising parent, over IPC, when the first pass has finished (ok or not).
 */
export async function runCollectionLoop(
  runtime: CollectorRuntime,
  options: { intervalSeconds: number; onPass?: (report: PassReport) => void; pass?: Omit<PassOptions, "nowMs"> },
): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  let inPass = false;
  const stop = () => {
    stopping = true;
    // Every collector stores before it moves its watermark, so a pass cut short loses nothing:
    // the next start resumes from the watermarks. No reason to keep Ctrl-C waiting on a backfill.
    if (inPass) {
      runtime.log.info("stopping mid-pass; the next start resumes where this one stopped");
      process.exit(0);
    }
    wake?.();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Supervised: stop with the supervisor, even one that was SIGKILLed.
  if (process.connected) process.once("disconnect", stop);
  let first = true;
  let failures = 0;
  while (!stopping) {
    // The first pass after a (re)start runs every collector, so a restart shows at once whether
    // collection works; later passes run what their cadence says is due.
    inPass = true;
    const report = await runCollectionPass(runtime, {
      ...options.pass,
      force: first || options.pass?.force === true,
      // A supervising `start` reports ready once the Functions page has data; logs, traces
      // and costs may still be backfilling (the Collectors page shows them).
      ...(first ? { onCoreDone: (core: { ok: boolean; error: string | null }) => process.send?.({ type: "first-run", ...core }) } : {}),
    });
    inPass = false;
    options.onPass?.(report);
    first = false;
    failures = report.ok ? 0 : failures + 1;
    const intervalMs = options.intervalSeconds * 1000;
    const delayMs = report.ok ? intervalMs - (Date.now() % intervalMs) + 5_000 : Math.min(intervalMs, 5_000 * 2 ** (failures - 1));
    if (!report.ok) runtime.log.info(`retrying in ${Math.round(delayMs / 1000)} s`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, delayMs);
    });
  }
}
