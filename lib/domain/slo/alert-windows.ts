import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";

/**
 * Multiwindow, multi-burn-rate alert rules (SRE Workbook ch. 5, FACTS.md §1). A rule fires
 * when the burn rate over both its long and its short window reaches its threshold; the long
 * window makes it significant, the short one makes it stop soon after the burn stops.
 */

export type AlertSeverity = "page" | "ticket";

export interface BurnRateRule {
  severity: AlertSeverity;
  longWindowMs: number;
  /** Long / 12, as the Workbook recommends. */
  shortWindowMs: number;
  burnRateThreshold: number;
  /** The share of the period's budget spent by the time the rule fires (0.02 = 2 %). */
  budgetShare: number;
}

/** The Workbook's short window is 1/12 of the long one (1 h → 5 min, 3 d → 6 h). */
const SHORT_WINDOW_DIVISOR = 12;

/** The Workbook's four rows as budget shares; the burn-rate thresholds follow from the period. */
const WORKBOOK_ROWS: readonly { severity: AlertSeverity; longWindowMs: number; budgetShare: number }[] = [
  { severity: "page", longWindowMs: HOUR_MS, budgetShare: 0.02 },
  { severity: "page", longWindowMs: 6 * HOUR_MS, budgetShare: 0.05 },
  { severity: "ticket", longWindowMs: DAY_MS, budgetShare: 0.1 },
  { severity: "ticket", longWindowMs: 3 * DAY_MS, budgetShare: 0.1 },
];

/**
 * The four rules for an SLO period of `periodMs` (its full length; for calendar windows the
 * whole month or quarter). threshold = budgetShare × periodHours / longWindowHours, so each
 * rule fires after the same share of the budget whatever the period: 30 d gives the
 * Workbook's 14.4 / 6 / 3 / 1, 28 d 13.44 / 5.6 / 2.8 / 0.933…, 7 d 3.36 / 1.4 / 0.7 / 0.233….
 *
 * Thresholds below 1 (short periods: 7 d, and 28/29 d for the 3-day rule) are kept as
 * derived, not raised to 1: the rule's meaning is "this share of the budget went within
 * the long window", and on a 7-day period 10 % of the budget in 3 days is a burn of 0.233.
 * Clamping to 1 would let the 3-day ticket fire only after 43 % of a 7-day budget had gone,
 * which is the slow leak the rule exists to catch early.
 */
export function burnRateRulesFor(periodMs: number): BurnRateRule[] {
  if (!(periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${periodMs}`);
  return WORKBOOK_ROWS.map((row) => ({
    severity: row.severity,
    longWindowMs: row.longWindowMs,
    shortWindowMs: row.longWindowMs / SHORT_WINDOW_DIVISOR,
    // Multiply before dividing: share × periodMs / windowMs keeps 0.05 × 720 h / 6 h at exactly 6.
    burnRateThreshold: (row.budgetShare * periodMs) / row.longWindowMs,
    budgetShare: row.budgetShare,
  }));
}

/** The Workbook's table for a 30-day period: 14.4 (1 h / 5 min), 6 (6 h / 30 min) page; 3 (1 d / 2 h), 1 (3 d / 6 h) ticket. */
export const SRE_WORKBOOK_RULES: readonly Readonly<BurnRateRule>[] = Object.freeze(
  burnRateRulesFor(30 * DAY_MS).map((rule) => Object.freeze(rule)),
);
