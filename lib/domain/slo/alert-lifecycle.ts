/**
 * The lifecycle of SLO burn-rate alerts, after the Prometheus/Alertmanager model the SRE
 * Workbook's rules use (FACTS.md §1): one alert per (SLO, severity), each firing or not at
 * every evaluation. This module turns "is it firing now" into episodes and notifications:
 *
 * - An alert that starts firing opens an episode (startedAtMs = the evaluation time). An alert
 *   that fires again after it stopped opens a new episode, so a flapping alert is several
 *   episodes, each with its own dedup key downstream.
 * - While it keeps firing nothing new is sent (dedup); peakBurnRate keeps the highest burn rate.
 * - When it stops, the episode ends, and a `resolved` notification goes out only if the
 *   episode's `firing` notification was delivered: a person never hears "resolved" about an
 *   alert they were never told about.
 * - Inhibition, like Alertmanager's `inhibit_rules`: while the page alert fires, the ticket
 *   alert's `firing` notification is held (its episode is still recorded). If the page
 *   resolves while the ticket still fires, the held notification goes out then.
 * - Delivery is at-least-once: the caller sets `notifiedAtMs` once a `firing` notification was
 *   delivered. While it stays null and the alert still fires (and is not inhibited), every
 *   evaluation emits the `firing` notification again.
 *
 * Pure: the caller passes the evaluation time and persists what comes back.
 */

import type { AlertSeverity } from "@/lib/domain/slo/alert-windows";

export type { AlertSeverity };

/** Severities in the order their states and notifications are returned (the more urgent first). */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ["page", "ticket"];

/** One alert episode: from the evaluation where it started firing to the one where it stopped. */
export interface AlertState {
  sloId: string;
  severity: AlertSeverity;
  status: "firing" | "resolved";
  startedAtMs: number;
  /** When the episode ended (the first evaluation that found it not firing); null while firing. */
  endedAtMs: number | null;
  /** When its `firing` notification was delivered; set by the caller, null until then. */
  notifiedAtMs: number | null;
  /** The highest long-window burn rate seen during the episode. */
  peakBurnRate: number;
}

/**
 * A notification to deliver. `burnRate` is the current burn rate for `firing` (the episode's
 * peak when the current one is unknown) and the episode's peak for `resolved`.
 */
export interface AlertNotificationEvent {
  kind: "firing" | "resolved";
  severity: AlertSeverity;
  sloId: string;
  startedAtMs: number;
  endedAtMs: number | null;
  burnRate: number;
}

export interface AdvanceAlertsInput {
  sloId: string;
  /** The open (firing) episodes of this SLO, at most one per severity. */
  previous: readonly AlertState[];
  /** Which alerts the multiwindow multi-burn-rate rules say are firing at `atMs`. */
  firing: { page: boolean; ticket: boolean };
  /** The highest long-window burn rate among the rules of each severity; null when unknown. */
  burnRates: { page: number | null; ticket: number | null };
  /** The evaluation time (epoch ms). */
  atMs: number;
}

export interface AdvanceAlertsResult {
  /** Every episode that changed or is still open: persist these. */
  states: AlertState[];
  /** What to deliver now, page before ticket. */
  notifications: AlertNotificationEvent[];
}

/** `previous` broke the contract of advanceAlerts (a caller bug, not a runtime condition). */
export class AlertLifecycleError extends Error {
  override readonly name = "AlertLifecycleError";
}

/**
 * Advances one SLO's alerts by one evaluation: opens, keeps or ends an episode per severity
 * and says which notifications to send (see the module comment for the rules).
 *
 * @throws AlertLifecycleError when `previous` holds another SLO's episode, a resolved episode
 *   or two episodes of one severity.
 */
export function advanceAlerts(input: AdvanceAlertsInput): AdvanceAlertsResult {
  const open = indexOpenEpisodes(input.sloId, input.previous);
  // Inhibition follows the page alert's state at this evaluation, as Alertmanager does.
  const pageFiring = input.firing.page;
  const states: AlertState[] = [];
  const notifications: AlertNotificationEvent[] = [];

  for (const severity of ALERT_SEVERITIES) {
    const episode = open.get(severity);
    const firing = input.firing[severity];
    const burnRate = input.burnRates[severity];
    const inhibited = severity === "ticket" && pageFiring;

    if (firing) {
      const state: AlertState = episode
        ? { ...episode, peakBurnRate: maxKnown(episode.peakBurnRate, burnRate) }
        : {
            sloId: input.sloId,
            severity,
            status: "firing",
            startedAtMs: input.atMs,
            endedAtMs: null,
            notifiedAtMs: null,
            // A firing rule has a burn rate; 0 only guards a caller that could not say which.
            peakBurnRate: burnRate ?? 0,
          };
      states.push(state);
      // Covers a new episode, an earlier delivery that failed and a ticket held by a page.
      if (state.notifiedAtMs === null && !inhibited) {
        notifications.push({
          kind: "firing",
          severity,
          sloId: input.sloId,
          startedAtMs: state.startedAtMs,
          endedAtMs: null,
          burnRate: burnRate ?? state.peakBurnRate,
        });
      }
    } else if (episode) {
      const ended: AlertState = { ...episode, status: "resolved", endedAtMs: input.atMs };
      states.push(ended);
      // Sent even while the page fires: whoever got the ticket should hear that it ended.
      if (episode.notifiedAtMs !== null) {
        notifications.push({
          kind: "resolved",
          severity,
          sloId: input.sloId,
          startedAtMs: ended.startedAtMs,
          endedAtMs: input.atMs,
          burnRate: ended.peakBurnRate,
        });
      }
    }
  }
  return { states, notifications };
}

/**
 * Records that these notifications were delivered at `atMs`: sets `notifiedAtMs` on the
 * episodes their `firing` events belong to (matched by SLO, severity and start), leaving the
 * others untouched. `resolved` events change nothing.
 */
export function markNotified(states: readonly AlertState[], delivered: readonly AlertNotificationEvent[], atMs: number): AlertState[] {
  const keys = new Set(delivered.filter((e) => e.kind === "firing").map((e) => episodeKey(e)));
  return states.map((s) => (s.notifiedAtMs === null && keys.has(episodeKey(s)) ? { ...s, notifiedAtMs: atMs } : s));
}

function episodeKey(e: { sloId: string; severity: AlertSeverity; startedAtMs: number }): string {
  return `${e.sloId}\u0000${e.severity}\u0000${e.startedAtMs}`;
}

function indexOpenEpisodes(sloId: string, previous: readonly AlertState[]): Map<AlertSeverity, AlertState> {
  const open = new Map<AlertSeverity, AlertState>();
  for (const state of previous) {
    if (state.sloId !== sloId) throw new AlertLifecycleError(`an episode of SLO "${state.sloId}" was passed for SLO "${sloId}"`);
    if (state.status !== "firing") {
      throw new AlertLifecycleError(`pass only open episodes: the ${state.severity} episode of "${sloId}" that started at ${state.startedAtMs} is resolved`);
    }
    if (open.has(state.severity)) throw new AlertLifecycleError(`SLO "${sloId}" has two open ${state.severity} episodes`);
    open.set(state.severity, state);
  }
  return open;
}

function maxKnown(peak: number, current: number | null): number {
  return current === null ? peak : Math.max(peak, current);
}
