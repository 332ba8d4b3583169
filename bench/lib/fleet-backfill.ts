/**
 * A first pass (backfill) of a generated fleet, measured: wall time, items written, every
 * collector run (with its own start and end), and the simulator's request counts. The
 * api-calls and backfill sections share one 1,000-function × 14-day backfill through this: the
 * section that runs first measures it and records it (and, when every collector ran, the
 * seeded directory for console-load and analysis via `rememberSeededFleet`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { knownSeededFleet, rememberSeededFleet, startFleetStack, type FleetStack, type SeededFleet, type SimRequestCounts } from "@/bench/lib/fleet-stack";
import type { BenchContext } from "@/bench/lib/report";
import { runCollectionPass } from "@/infra/local/scheduler";
import type { CollectorName, CollectorRun } from "@/lib/domain/collection/collector-run";

export interface FleetBackfill extends SeededFleet {
  /** Every collector run of the first pass (per account/region), with its API usage and items. */
  runs: CollectorRun[];
  /** What the simulator served during the pass. */
  requests: SimRequestCounts;
  /** The collectors the pass ran: all of them, or a subset (then the directory is not a seeded fleet). */
  only: readonly CollectorName[] | null;
}

const backfillKey = (functions: number, days: number) => `fleet-backfill:${functions}:${days}`;

/** A backfill an earlier section of this run measured, if any. */
export function knownFleetBackfill(ctx: BenchContext, functions: number, days: number): FleetBackfill | undefined {
  return ctx.shared.get(backfillKey(functions, days)) as FleetBackfill | undefined;
}

/**
 * The backfill of a seeded fleet kept from an earlier run (`--work-dir`): its recorded time and
 * items, and its first pass's runs read back from the run ledger (requests per operation are
 * the runs' own API usage). Undefined when there is none.
 */
export async function persistedFleetBackfill(ctx: BenchContext, functions: number, days: number): Promise<FleetBackfill | undefined> {
  const seeded = knownSeededFleet(ctx, functions, days);
  if (!seeded) return undefined;
  const stack = await startFleetStack({ dir: seeded.dir, functions, backfillHours: days * 24 });
  try {
    const runs = (await stack.runtime.ledger.listRecent({ sinceMs: 0, nowMs: Date.now(), limit: 500 })).filter((r) => r.nowMs === seeded.nowMs);
    const services: SimRequestCounts["services"] = {};
    let total = 0;
    for (const run of runs) {
      for (const [operation, usage] of Object.entries(run.apiUsage)) {
        const [service = "unknown", name = operation] = operation.split(".");
        (services[service] ??= {})[name] = (services[service]?.[name] ?? 0) + usage.requests;
        total += usage.requests;
      }
    }
    return { ...seeded, runs, requests: { total, services }, only: null };
  } finally {
    await stack.close();
  }
}

/** Why a pass failed, in one line. */
export function passFailure(report: { error: string | null; runs: CollectorRun[] }): string {
  return report.error ?? report.runs.filter((r) => r.error).map((r) => `${r.collector}: ${r.error}`).join("; ");
}

/**
 * Starts a fresh stack in `<workDir>/fleet-<functions>-<days>d` (the directory `seededFleet`
 * uses) and runs one forced first pass at `nowMs` (default now) with BACKFILL_HOURS = `hours`
 * (default days × 24). Returns the measured backfill and the stack, still running: the caller
 * closes it. A complete pass (every collector) of whole days is remembered for later sections.
 */
export async function backfillFleet(
  ctx: BenchContext,
  options: { functions: number; days?: number; hours?: number; only?: readonly CollectorName[]; nowMs?: number; dirName?: string },
): Promise<{ backfill: FleetBackfill; stack: FleetStack }> {
  const hours = options.hours ?? (options.days ?? 14) * 24;
  const days = hours / 24;
  // A first pass needs an empty store: never reuse a directory a kept --work-dir already holds.
  const base = join(ctx.workDir, options.dirName ?? `fleet-${options.functions}-${Number.isInteger(days) ? `${days}d` : `${hours}h`}`);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  const stack = await startFleetStack({ dir, functions: options.functions, backfillHours: hours });
  try {
    const nowMs = options.nowMs ?? Date.now();
    await stack.resetRequestCounts();
    const started = performance.now();
    const report = await runCollectionPass(stack.runtime, { nowMs, force: true, ...(options.only ? { only: options.only } : {}) });
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`the first pass of fleet:${options.functions} (${hours} h) failed: ${passFailure(report)}`);
    const backfill: FleetBackfill = {
      dir,
      functions: options.functions,
      days,
      nowMs,
      seconds,
      itemsWritten: report.runs.reduce((n, r) => n + r.itemsWritten, 0),
      runs: report.runs,
      requests: await stack.requestCounts(),
      only: options.only ?? null,
    };
    if (Number.isInteger(days) && options.dirName === undefined) {
      ctx.shared.set(backfillKey(options.functions, days), backfill);
      if (backfill.only === null) rememberSeededFleet(ctx, backfill);
    }
    return { backfill, stack };
  } catch (error) {
    await stack.close();
    throw error;
  }
}
