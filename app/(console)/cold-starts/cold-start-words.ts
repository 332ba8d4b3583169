import { formatCompactNumber } from "@/app/(console)/_format/format";
import type { ColdStartLatencyImpact } from "@/lib/domain/cold-start/cold-start-latency";
import type { BilledDurationFinding, ColdStartAccounting, InitBillingRule } from "@/lib/domain/cold-start/init-billing";

/**
 * Words for the cold-start view model's findings: display only, nothing here computes a
 * figure. Shared by the Cold starts page and the function page's cold-start section.
 */

export const BILLING_RULE_WORDS: Record<InitBillingRule, string> = {
  "container-image": "Container image: INIT is always billed.",
  "custom-runtime": "Custom runtime: INIT is always billed.",
  "managed-runtime-billed": "ZIP on a managed runtime: on-demand INIT is billed since 2025-08-01.",
  "managed-runtime-unbilled": "ZIP on a managed runtime: INIT was not billed before 2025-08-01.",
};

const ACCOUNTING_WORDS: Record<ColdStartAccounting, string> = {
  "within-billed-duration": "already inside Billed Duration: its cost is a share of the duration bill, not an addition",
  "in-addition": "billed on top of Billed Duration",
  "not-billed": "not billed",
  none: "none in this range",
};

/** "INIT: already inside Billed Duration: …". */
export function describeAccounting(label: string, accounting: ColdStartAccounting): string {
  return `${label}: ${ACCOUNTING_WORDS[accounting]}.`;
}

function hours(count: number): string {
  return `${count} function-hour${count === 1 ? "" : "s"}`;
}

/** "1 function-hour agrees", "3 function-hours agree". */
function agreeing(count: number): string {
  return `${hours(count)} agree${count === 1 ? "s" : ""}`;
}

/** What the REPORT lines said about `label` (Init Duration, Billed Restore Duration) inside Billed Duration. */
export function describeFinding(label: string, finding: BilledDurationFinding): string {
  const { included, notIncluded, ambiguous, unexplained } = finding.evidence;
  const odd = unexplained > 0 ? ` ${hours(unexplained)} fit neither reading.` : "";
  switch (finding.kind) {
    case "included":
      return `The REPORT lines show ${label} inside Billed Duration (${agreeing(included)}).${odd}`;
    case "not-included":
      return `The REPORT lines show ${label} outside Billed Duration (${agreeing(notIncluded)}).${odd}`;
    case "mixed":
      return `The REPORT lines disagree (${hours(included)} with ${label} inside Billed Duration, ${hours(notIncluded)} without); taken as inside so it is never counted twice.${odd}`;
    case "undetermined":
      if (ambiguous === 0 && unexplained === 0) return `No ${label} in these REPORT lines.`;
      return `The REPORT lines cannot tell whether Billed Duration holds ${label} (too short against the up-to-1-ms rounding of each invocation); taken as inside so it is never counted twice.${odd}`;
  }
}

export const VERDICT_WORDS: Record<Extract<ColdStartLatencyImpact, { kind: "estimated" }>["verdict"], string> = {
  "cold-starts-dominate": "Cold starts dominate the p99: provisioned concurrency (or SnapStart) would cut it the most.",
  "cold-starts-visible": "Cold starts are a visible part of the p99: provisioned concurrency would help.",
  negligible: "The p99 is the handler's own: provisioned concurrency would hardly change it.",
};

/** The accessible name of the hourly cold-start chart: its span and its peak hour. */
export function describeColdStartChart(byHour: readonly { coldStarts: number }[]): string {
  if (byHour.length === 0) return "No hours of REPORT lines in this range";
  const peak = Math.max(...byHour.map((h) => h.coldStarts));
  if (peak === 0) return `No cold starts in ${byHour.length} hours`;
  return `Cold starts per hour over ${byHour.length} hours, at most ${formatCompactNumber(peak)} in one hour`;
}

/** A price per GB-second with all its digits: 0.0000166667 → "$0.0000166667 per GB-s". */
export function formatUsdPerGbSecond(usd: number): string {
  return `$${usd.toFixed(10).replace(/0+$/, "").replace(/\.$/, "")} per GB-s`;
}

/** GB-seconds in three significant digits: 332.25 → "332 GB-s". */
export function formatGbSeconds(gbSeconds: number): string {
  return `${formatCompactNumber(gbSeconds)} GB-s`;
}
