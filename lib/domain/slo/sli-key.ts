import type { SloSpec } from "@/lib/domain/slo/slo-definition";

/**
 * Identifies what an SLO counts (account, region, target, indicator), not how it is judged:
 * a new objective or window keeps the SLI ledger, a new target or threshold starts a new one.
 */
export function sliKeyOf(slo: Pick<SloSpec, "accountId" | "region" | "target" | "indicator">): string {
  const target = slo.target.kind === "function" ? `fn:${slo.target.functionName}` : `service:${slo.target.service}`;
  const i = slo.indicator;
  const indicator = i.kind === "availability" ? `availability:${i.source}` : i.method === "request" ? `latency:request:${i.thresholdMs}` : `latency:period:${i.percentile}:${i.thresholdMs}`;
  return `${slo.accountId}#${slo.region}#${target}#${indicator}`;
}

/** Whether the SLI comes from X-Ray (hourly service-graph snapshots) rather than CloudWatch minutes. */
export function isXraySli(slo: Pick<SloSpec, "indicator">): boolean {
  return (slo.indicator.kind === "availability" && slo.indicator.source === "xray") || (slo.indicator.kind === "latency" && slo.indicator.method === "request");
}
