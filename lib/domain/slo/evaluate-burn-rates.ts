import { type BurnRateRule } from "@/lib/domain/slo/alert-windows";
import { computeBurnRate, computeErrorRatio, meetsBurnRateThreshold } from "@/lib/domain/slo/burn-rate";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { sumSliWindow } from "@/lib/domain/slo/window-sums";

export type AlertLevel = "ok" | "ticket" | "page";

/** One window of a rule, ending at the evaluation's `throughMs`. */
export interface WindowBurn {
  windowMs: number;
  good: number;
  total: number;
  /** `null` when the window had no events. */
  errorRatio: number | null;
  /** `null` when the window had no events. */
  burnRate: number | null;
}

export interface RuleEvaluation {
  rule: BurnRateRule;
  long: WindowBurn;
  short: WindowBurn;
  /** Both windows reach the threshold and the long window has at least minEvents events. */
  firing: boolean;
  /** Both windows reach the threshold but the long window has fewer than minEvents events. */
  lowTraffic: boolean;
}

export interface BurnRateEvaluation {
  level: AlertLevel;
  /** One per rule, in the order given. */
  rules: RuleEvaluation[];
  firing: { page: boolean; ticket: boolean };
}

function windowBurn(buckets: readonly SliBucket[], throughMs: number, windowMs: number, objective: number): WindowBurn {
  const { good, total } = sumSliWindow(buckets, { fromMs: throughMs - windowMs, toMs: throughMs });
  const errorRatio = computeErrorRatio(good, total);
  return { windowMs, good, total, errorRatio, burnRate: errorRatio === null ? null : computeBurnRate(errorRatio, objective) };
}

function reaches(burn: WindowBurn, threshold: number): boolean {
  return burn.burnRate !== null && meetsBurnRateThreshold(burn.burnRate, threshold);
}

/**
 * Evaluates multiwindow, multi-burn-rate rules over an SLI series. Every window ends at
 * `throughMs`, the end of the data (not wall-clock now: a collector running behind must not
 * read its missing minutes as silence). A rule fires when the burn rate over both its long
 * and short window reaches its threshold and the long window holds at least `minEvents`
 * events; when both reach it on fewer events it is flagged `lowTraffic` instead (at 10
 * requests an hour one failure is a 1000× burn at 99.9 %, FACTS.md §1). A window without
 * events has no burn rate and never fires: an empty short window means the burn stopped or
 * the data has not arrived, neither of which is worth a page.
 *
 * The level is page if any page rule fires, else ticket if any ticket rule fires, else ok.
 */
export function evaluateBurnRates(input: {
  buckets: readonly SliBucket[];
  throughMs: number;
  objective: number;
  rules: readonly BurnRateRule[];
  minEvents: number;
}): BurnRateEvaluation {
  const { buckets, throughMs, objective, minEvents } = input;
  const rules = input.rules.map((rule): RuleEvaluation => {
    const long = windowBurn(buckets, throughMs, rule.longWindowMs, objective);
    const short = windowBurn(buckets, throughMs, rule.shortWindowMs, objective);
    const burning = reaches(long, rule.burnRateThreshold) && reaches(short, rule.burnRateThreshold);
    const enoughEvents = long.total >= minEvents;
    return { rule, long, short, firing: burning && enoughEvents, lowTraffic: burning && !enoughEvents };
  });
  const firing = {
    page: rules.some((r) => r.firing && r.rule.severity === "page"),
    ticket: rules.some((r) => r.firing && r.rule.severity === "ticket"),
  };
  const level: AlertLevel = firing.page ? "page" : firing.ticket ? "ticket" : "ok";
  return { level, rules, firing };
}
