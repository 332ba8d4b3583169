import { formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import type { Signal } from "@/lib/domain/health/now-signals";

/** A signal in words, with where to look next. */
export interface SignalDescription {
  title: string;
  detail: string;
  links: { label: string; href: string }[];
}

function scopeParams(signal: Signal): string {
  return new URLSearchParams({ account: signal.subject.accountId, region: signal.subject.region }).toString();
}

/** The function page of the signal's function, over the last 6 hours. */
function functionHref(signal: Signal): string {
  return functionDetailHref({ ...signal.subject, functionName: signal.subject.functionName ?? "" }, "6h");
}

/** The service map of the last hour, in the signal's account and region. */
function mapHref(signal: Signal): string {
  return `/map?range=1h&${scopeParams(signal)}`;
}

/** Words for a signal: what happened, the numbers that tripped it, and the next pages to open. */
export function describeSignal(signal: Signal): SignalDescription {
  const m = signal.measured;
  const name = signal.subject.functionName ?? `${signal.subject.accountId} ${signal.subject.region}`;
  switch (signal.kind) {
    case "slo-burning": {
      const slo = signal.slo!;
      const budget = m.budgetRemainingRatio === undefined ? "" : m.budgetRemainingRatio < 0 ? ` The budget is overspent (${formatPercent(-m.budgetRemainingRatio)} over).` : ` ${formatPercent(m.budgetRemainingRatio)} of the budget is left.`;
      return {
        title: `SLO ${signal.severity === "critical" ? "paging" : "ticket"}: ${slo.name}`,
        detail: `${slo.service}: burning its error budget at ${m.burnRate === undefined ? "an unknown rate" : `${Number(m.burnRate.toFixed(1))}×`} over the last hour.${budget}`,
        links: [
          { label: "SLO", href: `/slos/${encodeURIComponent(slo.id)}` },
          ...(signal.subject.functionName === null ? [{ label: "Service map", href: mapHref(signal) }] : [{ label: "Service map", href: mapHref(signal) }, { label: "Function", href: functionHref(signal) }]),
        ],
      };
    }
    case "error-spike":
      return {
        title: `${name}: error spike`,
        detail: `${formatPercent(m.errorRatio ?? null)} of ${formatInteger(m.invocations ?? 0)} invocations failed (${formatInteger(m.errors ?? 0)} errors); the day before: ${formatPercent(m.baselineErrorRatio ?? null)}.`,
        links: [
          { label: "Service map", href: mapHref(signal) },
          { label: "Function", href: functionHref(signal) },
        ],
      };
    case "steady-failure":
      return {
        title: `${name}: failing steadily`,
        detail: `${formatPercent(m.errorRatio ?? null)} of ${formatInteger(m.invocations ?? 0)} invocations failed (${formatInteger(m.errors ?? 0)} errors), much as the day before (${formatPercent(m.baselineErrorRatio ?? null)}): not new, still broken for its callers.`,
        links: [
          { label: "Service map", href: mapHref(signal) },
          { label: "Function", href: functionHref(signal) },
        ],
      };
    case "throttling":
      return {
        title: `${name}: throttling`,
        detail: `${formatInteger(m.throttles ?? 0)} of ${formatInteger(m.requests ?? 0)} requests throttled (${formatPercent(m.throttleRatio ?? null)}).`,
        links: [{ label: "Function concurrency", href: functionHref(signal) }],
      };
    case "concurrency-near-limit":
      return {
        title: `${name}: near its reserved concurrency`,
        detail: `Peak ${formatInteger(m.peakConcurrency ?? 0)} concurrent executions of a reserved ${formatInteger(m.limit ?? 0)} (${formatPercent(m.utilisationRatio ?? null)}).`,
        links: [{ label: "Function concurrency", href: functionHref(signal) }],
      };
    case "account-concurrency-near-limit":
      return {
        title: `Account ${signal.subject.accountId} (${signal.subject.region}): near the concurrency limit`,
        detail: `Claimed concurrency peaked at ${formatInteger(m.peakConcurrency ?? 0)} of the account's ${formatInteger(m.limit ?? 0)} (${formatPercent(m.utilisationRatio ?? null)}); new requests of unreserved functions will throttle at the limit.`,
        links: [{ label: "Functions", href: `/functions?range=1h&sort=throttles&dir=desc` }],
      };
    case "cold-start-storm":
      return {
        title: `${name}: cold-start storm`,
        detail: `${formatInteger(m.coldStarts ?? 0)} cold starts in the last hour (${formatPercent(m.coldStartRatio ?? null)} of invocations), against ${formatInteger(m.baselineHourlyColdStarts ?? 0)} an hour the day before.`,
        links: [
          { label: "Cold starts", href: `/cold-starts?range=24h` },
          { label: "Function", href: functionHref(signal) },
        ],
      };
  }
}
