import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { advanceAlerts, type AlertState } from "@/lib/domain/slo/alert-lifecycle";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import { toHourBuckets } from "@/lib/domain/slo/sli-bucket";
import { isXraySli, sliKeyOf } from "@/lib/domain/slo/sli-key";
import type { SloDefinition } from "@/lib/domain/slo/slo-definition";
import { sloPeriodAt } from "@/lib/domain/slo/slo-period";
import { computeSloStatus, peakBurnRateOf, unevaluatedStatus, type SloStatus } from "@/lib/domain/slo/slo-status";
import type { Watermark } from "@/lib/domain/collection/collector-run";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { DAY_MS, floorToHourMs, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { AlertNotifier } from "@/lib/ports/alert-notifier";
import type { SliLedgerDay, SloStore } from "@/lib/ports/slo-store";
import type { FunctionStore, WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";
import { describeError } from "@/lib/use-cases/describe-error";
import { functionsOfSlo, missingTargetProblem, readSliFromFacts, type SliFacts } from "@/lib/use-cases/read-sli";

export const SLOS_COLLECTOR = "slos";

/** The longest alert window (3 d): the SLI is always read at least this far back. */
const LONGEST_ALERT_WINDOW_MS = 3 * DAY_MS;
/** The short alert windows (≤ 6 h) are read at minute resolution. */
const MINUTE_TAIL_MS = 6 * HOUR_MS;
/** SLOs evaluated at once: each waits mostly on table reads, and its SLI reads run 4 at a time (read-sli.ts). */
const EVALUATE_CONCURRENCY = 8;
/** Ledger hours re-read when a new hour completes, for CloudWatch datapoints that arrive late. */
const LEDGER_REREAD_MS = 2 * HOUR_MS;

export interface EvaluateSlosDeps extends SliFacts {
  slos: SloStore;
  functions: FunctionStore;
  watermarks: WatermarkStore;
  notifier: AlertNotifier;
  /** How far back minute metrics are kept (METRICS_MINUTE_DAYS). */
  minuteHistoryMs: number;
  /** How long CloudWatch datapoints keep changing after their minute (SETTLE_MINUTES). */
  settleMs: number;
}

interface Marks {
  metrics: Watermark | null;
  traces: Watermark | null;
}

/**
 * Evaluates every SLO of one account/region at the end of its data (the metrics watermark):
 * keeps each SLO's SLI ledger up to date (hourly good/total from the stored facts), computes
 * the status (budget, burn rates, alert level), advances the alert episodes and sends their
 * notifications. Reads only the table, so it costs no AWS calls; a rerun at the same data end
 * gives the same status and sends nothing twice (episodes remember what was notified).
 */
export async function evaluateSlos(deps: EvaluateSlosDeps, ctx: CollectorContext): Promise<CollectorResult> {
  const { accountId, region } = ctx;
  const slos = (await deps.slos.list()).filter((s) => s.accountId === accountId && s.region === region);
  const [metrics, traces, functions] = await Promise.all([
    deps.watermarks.get("metrics", accountId, region),
    deps.watermarks.get("traces", accountId, region),
    slos.length === 0 ? Promise.resolve([]) : deps.functions.listFunctions(),
  ]);
  if (slos.length === 0) {
    // Nothing to evaluate is up to date, not lagging: the watermark follows the metrics.
    if (metrics?.throughMs != null) await deps.watermarks.advance(SLOS_COLLECTOR, accountId, region, metrics.throughMs, metrics.sinceMs ?? ctx.backfillFromMs);
    return { outcome: "up-to-date", window: null, itemsWritten: 0, note: "no SLOs defined" };
  }
  const marks: Marks = { metrics, traces };
  let itemsWritten = 0;
  let failures = 0;
  const levels = { page: 0, ticket: 0, ok: 0 };
  let done = 0;
  // SLOs are evaluated EVALUATE_CONCURRENCY at a time (each is mostly waiting on reads), yet
  // as if one after the other: their alerts advance and notify in list order (receivers get
  // the same notifications in the same order), and their warnings are reported in list order.
  const lane = turnTaking(slos.length);
  const outcomes = await mapWithConcurrency(slos.map((slo, index) => ({ slo, index })), EVALUATE_CONCURRENCY, async ({ slo, index }) => {
    const warnings: string[] = [];
    const sloCtx: CollectorContext = { ...ctx, warn: (message) => warnings.push(message) };
    try {
      return { warnings, ...(await evaluateOne(deps, sloCtx, slo, functions, marks, (step) => lane.take(index, step))) };
    } catch (error) {
      return { warnings, error };
    } finally {
      // An SLO that failed before its turn must not hold back the ones after it.
      lane.pass(index);
      ctx.progress({ done: ++done, total: slos.length, unit: "SLOs" });
    }
  });
  slos.forEach((slo, i) => {
    const outcome = outcomes[i]!;
    for (const message of outcome.warnings) ctx.warn(message);
    if ("error" in outcome) {
      failures++;
      ctx.warn(`SLO ${slo.id}: ${describeError(outcome.error)}`);
      return;
    }
    itemsWritten += outcome.itemsWritten;
    levels[outcome.status.level]++;
  });
  const throughMs = metrics?.throughMs ?? null;
  if (throughMs !== null) await deps.watermarks.advance(SLOS_COLLECTOR, accountId, region, throughMs, metrics?.sinceMs ?? ctx.backfillFromMs);
  if (failures === slos.length) throw new Error(`every SLO failed to evaluate (${failures}); see the warnings`);
  return {
    outcome: failures > 0 ? "partial" : "collected",
    window: throughMs === null ? null : { fromMs: throughMs - LONGEST_ALERT_WINDOW_MS, toMs: throughMs },
    itemsWritten,
    note: `${slos.length} SLOs: ${levels.page} paging, ${levels.ticket} ticket`,
  };
}

async function evaluateOne(
  deps: EvaluateSlosDeps,
  ctx: CollectorContext,
  slo: SloDefinition,
  inventory: readonly FunctionConfig[],
  marks: Marks,
  inTurn: <T>(step: () => Promise<T>) => Promise<T>,
): Promise<{ status: SloStatus; itemsWritten: number }> {
  const throughMs = marks.metrics?.throughMs ?? null;
  const names = functionsOfSlo(slo, inventory).map((f) => f.functionName);
  let status: SloStatus;
  let itemsWritten = 0;
  if (throughMs === null) status = unevaluatedStatus(slo, ctx.nowMs, "no metrics collected yet for this account and region");
  else if (names.length === 0) status = unevaluatedStatus(slo, ctx.nowMs, missingTargetProblem(slo));
  else {
    const ledger = await updateLedger(deps, slo, names, throughMs, marks);
    itemsWritten += ledger.itemsWritten;
    const buckets = await readEvaluationBuckets(deps, slo, names, throughMs, ledger.throughMs);
    status = computeSloStatus({ slo, buckets, throughMs, evaluatedAtMs: ctx.nowMs });
  }
  const open = (await deps.slos.listAlerts(slo.id, status.throughMs)).filter((a) => a.status === "firing");
  itemsWritten += await inTurn(() => advanceAndNotify(deps, ctx, slo, status, open));
  await deps.slos.putStatus(status);
  return { status, itemsWritten: itemsWritten + 1 };
}

/**
 * Turns in index order for work started out of order: `take(i, step)` runs `step` once every
 * index before i has had its turn (taken it, or passed it); `pass(i)` gives up i's turn
 * without a step (a no-op after `take`). No index ever waits on a later one.
 */
function turnTaking(count: number): { take<T>(index: number, step: () => Promise<T>): Promise<T>; pass(index: number): void } {
  const ends: (() => void)[] = [];
  const turns = Array.from({ length: count }, () => new Promise<void>((resolve) => ends.push(resolve)));
  const before = (index: number) => (index === 0 ? Promise.resolve() : turns[index - 1]!);
  return {
    async take(index, step) {
      await before(index);
      try {
        return await step();
      } finally {
        ends[index]!();
      }
    },
    pass(index) {
      void before(index).then(ends[index]);
    },
  };
}

/** How far back an SLO's SLI matters at `throughMs`: its period, and at least the longest alert window. */
function horizonOf(slo: SloDefinition, throughMs: number): number {
  return Math.min(sloPeriodAt(slo.window, throughMs).fromMs, throughMs - LONGEST_ALERT_WINDOW_MS);
}

/** Hours of minute data still stored (with an hour's margin for the sweep). */
function minuteFromMs(deps: EvaluateSlosDeps, throughMs: number): number {
  return floorToHourMs(throughMs - deps.minuteHistoryMs) + HOUR_MS;
}

/**
 * Brings the SLO's ledger up to the last complete hour: when a new hour has completed (or the
 * SLI changed), recomputes whole UTC days from the facts — from minute data where it is still
 * kept, hourly data before — and writes them. Returns where the ledger ends.
 */
async function updateLedger(
  deps: EvaluateSlosDeps,
  slo: SloDefinition,
  names: readonly string[],
  throughMs: number,
  marks: Marks,
): Promise<{ throughMs: number; itemsWritten: number }> {
  const sliKey = sliKeyOf(slo);
  let ledgerEnd = floorToHourMs(throughMs - deps.settleMs);
  // X-Ray hours go in once their complete snapshot is stored (the traces watermark).
  if (isXraySli(slo)) ledgerEnd = Math.min(ledgerEnd, floorToHourMs(marks.traces?.throughMs ?? 0));
  const state = await deps.slos.getLedgerState(slo.id);
  const sameSli = state !== null && state.sliKey === sliKey;
  if (sameSli && state.throughMs >= ledgerEnd) return { throughMs: state.throughMs, itemsWritten: 0 };
  const dataFromMs = floorToHourMs(Math.max(horizonOf(slo, throughMs), marks.metrics?.sinceMs ?? 0));
  const resumeFromMs = sameSli ? Math.max(dataFromMs, state.throughMs - LEDGER_REREAD_MS) : dataFromMs;
  if (ledgerEnd <= resumeFromMs) return { throughMs: sameSli ? state.throughMs : resumeFromMs, itemsWritten: 0 };
  const firstDayMs = Math.floor(resumeFromMs / DAY_MS) * DAY_MS;
  const minuteFrom = Math.max(firstDayMs, minuteFromMs(deps, throughMs));
  const hourly: TimeWindow = { fromMs: firstDayMs, toMs: Math.min(minuteFrom, ledgerEnd) };
  const minutes: TimeWindow = { fromMs: minuteFrom, toMs: ledgerEnd };
  const [fromHours, fromMinutes] = await Promise.all([
    readSliFromFacts(deps, slo, names, hourly, "hour"),
    readSliFromFacts(deps, slo, names, minutes, "minute"),
  ]);
  const byHour = new Map(toHourBuckets([...fromHours, ...fromMinutes]).map((b) => [b.startMs, b]));
  const days: SliLedgerDay[] = [];
  for (let dayStartMs = firstDayMs; dayStartMs < ledgerEnd; dayStartMs += DAY_MS) {
    const good: (number | null)[] = [];
    const total: (number | null)[] = [];
    for (let h = 0; h < 24; h++) {
      const hourMs = dayStartMs + h * HOUR_MS;
      // Unknown (null) before the data starts and from the first incomplete hour; a known hour without events is 0/0.
      const known = hourMs >= dataFromMs && hourMs < ledgerEnd;
      const bucket = byHour.get(hourMs);
      good.push(known ? (bucket?.good ?? 0) : null);
      total.push(known ? (bucket?.total ?? 0) : null);
    }
    days.push({ sloId: slo.id, sliKey, dayStartMs, good, total });
  }
  const itemsWritten = await deps.slos.putLedgerDays(days);
  // Progress only after the days are stored: a crash in between rewrites them on the next run.
  await deps.slos.putLedgerState({ sloId: slo.id, sliKey, throughMs: ledgerEnd });
  return { throughMs: ledgerEnd, itemsWritten: itemsWritten + 1 };
}

/**
 * The SLI series an evaluation reads: ledger hours up to the minute tail, then the tail from
 * the facts — CloudWatch minutes for the last 6 hours (the short alert windows need them), or
 * the X-Ray snapshots after the ledger (the current hour's partial one included).
 */
export async function readEvaluationBuckets(
  deps: Pick<EvaluateSlosDeps, "slos" | "series" | "graphs" | "minuteHistoryMs">,
  slo: SloDefinition,
  names: readonly string[],
  throughMs: number,
  ledgerThroughMs: number,
): Promise<SliBucket[]> {
  const fromMs = horizonOf(slo, throughMs);
  const tailFromMs = isXraySli(slo)
    ? ledgerThroughMs
    : Math.max(Math.min(ledgerThroughMs, floorToHourMs(throughMs) - MINUTE_TAIL_MS), floorToHourMs(throughMs - deps.minuteHistoryMs) + HOUR_MS);
  const [ledger, tail] = await Promise.all([
    deps.slos.readLedger(slo.id, sliKeyOf(slo), { fromMs, toMs: tailFromMs }),
    readSliFromFacts(deps, slo, names, { fromMs: tailFromMs, toMs: throughMs }, "minute"),
  ]);
  return [...ledger.filter((b) => b.startMs + b.durationMs <= tailFromMs), ...tail.filter((b) => b.startMs >= tailFromMs)];
}

/** Moves the SLO's alert episodes on and sends what they call for; returns the items written. */
async function advanceAndNotify(deps: EvaluateSlosDeps, ctx: CollectorContext, slo: SloDefinition, status: SloStatus, open: readonly AlertState[]): Promise<number> {
  const firing = {
    page: status.rules.some((r) => r.severity === "page" && r.firing),
    ticket: status.rules.some((r) => r.severity === "ticket" && r.firing),
  };
  if (open.length === 0 && !firing.page && !firing.ticket) return 0;
  const { states, notifications } = advanceAlerts({
    sloId: slo.id,
    previous: open,
    firing,
    burnRates: { page: peakBurnRateOf(status, "page"), ticket: peakBurnRateOf(status, "ticket") },
    atMs: status.throughMs,
  });
  const changed: AlertState[] = states.map((s) => ({ ...s }));
  for (const event of notifications) {
    if (deps.notifier.channelCount === 0) continue;
    const { delivered, error } = await deps.notifier.deliver(event, slo, status);
    if (!delivered) {
      ctx.warn(`SLO ${slo.id}: ${event.severity} ${event.kind} notification not delivered (${error ?? "unknown error"}); it is retried on the next run`);
      continue;
    }
    const episode = changed.find((s) => s.severity === event.severity && s.startedAtMs === event.startedAtMs);
    if (episode && event.kind === "firing") episode.notifiedAtMs = ctx.nowMs;
  }
  await deps.slos.putAlerts(changed);
  return changed.length;
}
