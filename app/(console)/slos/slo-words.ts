import { MISSING, formatDateTimeUtc, formatElapsedMs, formatPercent } from "@/app/(console)/_format/format";
import { ROLES, roleCan, type Role } from "@/lib/domain/access/roles";
import type { AlertSeverity } from "@/lib/domain/slo/alert-lifecycle";
import type { SloListLevel } from "@/lib/queries/slos-view";

/** How each level reads in the console and the CLI. */
export const LEVEL_WORDS: Record<SloListLevel, string> = {
  page: "paging",
  ticket: "ticket",
  ok: "ok",
  unevaluated: "not evaluated",
};

/** A burn rate as "14.4×" (two significant decimals under 10, one above, none from 100). */
export function formatBurn(burnRate: number | null): string {
  if (burnRate === null || !Number.isFinite(burnRate)) return MISSING;
  if (burnRate >= 100) return `${Math.round(burnRate)}×`;
  if (burnRate >= 10) return `${Number(burnRate.toFixed(1))}×`;
  return `${Number(burnRate.toFixed(2))}×`;
}

/** Budget remaining as a percentage; overspent budgets read negative ("−35%"). */
export function formatBudget(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  return ratio < 0 ? `−${formatPercent(-ratio)}` : formatPercent(ratio);
}

/** The SLI as a percentage with enough decimals to compare with a 99.9 % objective. */
export function formatSli(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  const percent = ratio * 100;
  if (percent === 100) return "100%";
  return `${percent >= 99.99 ? percent.toFixed(3) : percent.toFixed(2)}%`;
}

/** "exhausted", "in 3 d 4 h", or "—" when the budget never runs out at this rate. */
export function formatExhaustion(ms: number | null): string {
  if (ms === null) return MISSING;
  if (ms <= 0) return "exhausted";
  return `in ${formatElapsedMs(ms)}`;
}

// Console-only words below: display text from view-model values, nothing computed.

/** What each level means, for the status pill's tooltip. */
export const LEVEL_MEANINGS: Record<SloListLevel, string> = {
  page: "A page-level burn-rate alert is firing: the budget is burning fast enough to wake someone",
  ticket: "A ticket-level burn-rate alert is firing: a slow, steady burn to look at in working hours",
  ok: "No burn-rate alert is firing",
  unevaluated: "Not evaluated yet: no status for this SLO",
};

/** How each alert severity reads on the burn-rate table and the alert history. */
export const SEVERITY_WORDS: Record<AlertSeverity, string> = {
  page: "Page",
  ticket: "Ticket",
};

/** A burn-rate threshold as the rule reads it: 14.4 → "≥14.4", 0.2333 → "≥0.23". */
export function formatThreshold(threshold: number): string {
  return `≥${formatBurn(threshold).replace(/×$/, "")}`;
}

/** A window pair label in its compact form: "1h / 5m" → "1h/5m". */
export function formatWindowPair(label: string): string {
  return label.replace(/\s*\/\s*/, "/");
}

/** The /slos summary line: "2 paging · 1 ticket · 5 ok · data through 2025-11-26 22:57 UTC". */
export function describeSloCounts(counts: Record<SloListLevel, number>, throughMs: number | null): string {
  const total = counts.page + counts.ticket + counts.ok + counts.unevaluated;
  if (total === 0) return "No SLOs yet";
  const parts = [`${counts.page} ${LEVEL_WORDS.page}`, `${counts.ticket} ${LEVEL_WORDS.ticket}`, `${counts.ok} ${LEVEL_WORDS.ok}`];
  if (counts.unevaluated > 0) parts.push(`${counts.unevaluated} ${LEVEL_WORDS.unevaluated}`);
  parts.push(throughMs === null ? "not evaluated yet" : `data through ${formatDateTimeUtc(throughMs)}`);
  return parts.join(" · ");
}

/** Why the edit controls are disabled: "Your role (viewer) cannot edit SLOs; sre and admin can." */
export function describeNoEditReason(role: Role): string {
  const editors = ROLES.filter((r) => roleCan(r, "slos:write"));
  const who = editors.length <= 1 ? editors.join("") : `${editors.slice(0, -1).join(", ")} and ${editors.at(-1)}`;
  return `Your role (${role}) cannot edit SLOs; ${who} can.`;
}

/** The width of a budget bar (0..100 %): the remaining budget, empty when overspent or unknown. */
export function budgetBarWidthPercent(ratio: number | null): number {
  if (ratio === null || !Number.isFinite(ratio)) return 0;
  return Math.round(Math.min(1, Math.max(0, ratio)) * 1000) / 10;
}

/** Whether the budget is overspent ("−35%, overspent"), for the words beside the bar. */
export function isOverspent(ratio: number | null): boolean {
  return ratio !== null && ratio < 0;
}

/** The accessible name of the burn-down chart. */
export function describeBurndownChart(input: { window: string; budgetRemainingRatio: number | null; pointCount: number }): string {
  if (input.pointCount === 0) return "Error budget burn-down: no data yet";
  return `Error budget remaining over the ${input.window} period against an even spend of the whole budget, now ${formatBudget(input.budgetRemainingRatio)}`;
}

/** The accessible name of the hourly SLI chart. */
export function describeSliChart(input: { hourCount: number; objectiveLabel: string; sliRatio: number | null }): string {
  if (input.hourCount === 0) return "Hourly SLI: no data yet";
  return `SLI per hour over ${input.hourCount} hour${input.hourCount === 1 ? "" : "s"} against the ${input.objectiveLabel} objective; ${formatSli(input.sliRatio)} over the period so far`;
}

/** "yes (2025-11-26 22:57 UTC)" or "no". */
export function formatNotified(notifiedAtMs: number | null): string {
  return notifiedAtMs === null ? "no" : `yes (${formatDateTimeUtc(notifiedAtMs)})`;
}

/** A status problem as a sentence: "no metrics collected yet…" → "No metrics collected yet….". */
export function formatProblem(problem: string): string {
  const sentence = problem.charAt(0).toUpperCase() + problem.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** The accessible name of the alert timeline: how many episodes of each severity, and whether one still fires. */
export function describeAlertTimeline(lanes: readonly { severity: AlertSeverity; bars: readonly { ongoing: boolean }[] }[], window: { fromMs: number; toMs: number }): string {
  const counts = lanes.map((lane) => `${lane.bars.length} ${SEVERITY_WORDS[lane.severity].toLowerCase()}`).join(", ");
  const firing = lanes.filter((lane) => lane.bars.some((bar) => bar.ongoing)).map((lane) => SEVERITY_WORDS[lane.severity].toLowerCase());
  return `Alert episodes from ${formatDateTimeUtc(window.fromMs)} to ${formatDateTimeUtc(window.toMs)}: ${counts}${firing.length > 0 ? `; ${firing.join(" and ")} still firing` : ""}`;
}
