import type { Metadata } from "next";
import Link from "next/link";
import { FreshnessBanner } from "@/app/(console)/_components/freshness-banner";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { describeFreshness } from "@/app/(console)/_format/freshness";
import { formatCompactNumber, formatDateTimeUtc, formatInteger, formatPercent, formatRelativeTime, formatWindowUtc } from "@/app/(console)/_format/format";
import { describeSignal } from "@/app/(console)/_overview/describe-signal";
import styles from "@/app/(console)/_overview/overview.module.css";
import { getDeps } from "@/app/_server/deps";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getOverviewView } from "@/lib/queries/overview-view";

export const metadata: Metadata = { title: "Overview · Sightline" };
export const dynamic = "force-dynamic";

/** The SRE's landing page: what is wrong now, most urgent first, each with where to look next. */
export default async function OverviewPage() {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const view = await getOverviewView(getDeps(), { nowMs });
  return (
    <>
      <header className="page-header">
        <div>
          <h1>What is wrong now</h1>
          <p className="subtitle">
            {formatWindowUtc(view.recent)} against the day before · as of {formatDateTimeUtc(view.asOfMs)}
          </p>
        </div>
        {view.checked.functions > 0 ? (
          <dl className={styles.pulse} data-testid="overview-pulse">
            <div>
              <dt>Invocations</dt>
              <dd>{formatCompactNumber(view.fleet.invocationsPerMinute)}/min</dd>
            </div>
            <div>
              <dt>Errors</dt>
              <dd>{formatPercent(view.fleet.errorRatio)}</dd>
            </div>
            <div>
              <dt>Throttles</dt>
              <dd>{formatInteger(view.fleet.throttles)}</dd>
            </div>
            <div>
              <dt>Functions</dt>
              <dd>{formatInteger(view.checked.functions)}</dd>
            </div>
          </dl>
        ) : null}
      </header>
      {view.checked.functions > 0 || view.collection.lastError !== null ? (
        <FreshnessBanner freshness={describeFreshness(view.collection, nowMs)} />
      ) : null}
      {view.checked.functions === 0 ? (
        <div className="empty-state" data-testid="overview-empty">
          <h2>No functions collected yet — the first collection is running</h2>
          <p>The overview checks every function as soon as the inventory and metrics collectors have stored them. Reload in a minute.</p>
        </div>
      ) : view.signals.length === 0 ? (
        <section className={styles.allClear} data-testid="overview-all-clear">
          <h2>All clear</h2>
          <p>
            No error spike, throttling, concurrency pressure or cold-start storm in {formatInteger(view.checked.functions)} functions across{" "}
            {formatInteger(view.checked.scopes)} account/region{view.checked.scopes === 1 ? "" : "s"}.
          </p>
        </section>
      ) : (
        <ol className={styles.signals} data-testid="overview-signals" aria-label="Signals, most urgent first">
          {view.signals.map((signal) => {
            const text = describeSignal(signal);
            return (
              <li
                key={`${signal.kind}#${signal.subject.accountId}#${signal.subject.region}#${signal.subject.functionName ?? ""}`}
                className={`${styles.signal} ${styles[signal.severity]}`}
                data-testid="overview-signal"
                data-kind={signal.kind}
                data-function={signal.subject.functionName ?? ""}
              >
                <span className={styles.severity}>{signal.severity}</span>
                <div>
                  <p className={styles.title}>{text.title}</p>
                  <p className={styles.detail}>
                    {text.detail}
                    {signal.sinceMs !== null ? ` Since ${formatDateTimeUtc(signal.sinceMs)} (${formatRelativeTime(signal.sinceMs, nowMs)}).` : ""}
                  </p>
                </div>
                <span className={styles.links}>
                  {text.links.map((link) => (
                    <Link key={link.href} href={link.href}>
                      {link.label} →
                    </Link>
                  ))}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {view.failingCollectors.length > 0 ? (
        <div className="banner banner-error" role="status" data-testid="overview-collectors-failing">
          <strong>Blind spots.</strong> {view.failingCollectors.length} collector run{view.failingCollectors.length === 1 ? "" : "s"} failing, so part of the
          fleet is not being watched: {view.failingCollectors.map((f) => `${f.collector} in ${f.accountId}/${f.region} (${f.error})`).join("; ")}.{" "}
          <Link href="/collectors">Collectors →</Link>
        </div>
      ) : null}
      <details className={styles.rules}>
        <summary>What is checked</summary>
        <ul>
          <li>Error spike: the last 15 minutes’ error ratio at least 5× the day before’s and at least 1 %, with 10 errors or more (critical from 5 %).</li>
          <li>Steady failure: 5 % of invocations or more failing (10 errors or more) when that is no spike because the day before was as bad.</li>
          <li>Throttling: 10 throttles or more and at least 1 % of requests throttled (critical from 10 %).</li>
          <li>Concurrency: peak concurrent executions at 80 % of the function’s reserved concurrency (a reservation under 10 only at its cap), or claimed concurrency at 80 % of the account limit (critical from 95 %).</li>
          <li>Cold-start storm: the last complete hour has 3× the cold starts of an average hour the day before, and at least 5 % of invocations start cold.</li>
          <li>Collectors: any collector whose last run failed, since what it collects is then unwatched.</li>
        </ul>
      </details>
    </>
  );
}
