import Link from "next/link";
import {
  MISSING,
  formatCompactNumber,
  formatDurationMs,
  formatInteger,
  formatMemoryMb,
  formatPercent,
  formatUsd,
  formatWindowUtc,
} from "@/app/(console)/_format/format";
import { ColdStartChart } from "@/app/(console)/cold-starts/cold-start-chart.client";
import {
  BILLING_RULE_WORDS,
  VERDICT_WORDS,
  describeAccounting,
  describeColdStartChart,
  describeFinding,
  formatGbSeconds,
  formatUsdPerGbSecond,
} from "@/app/(console)/cold-starts/cold-start-words";
import { functionDetailHref } from "@/app/(console)/_format/links";
import styles from "@/app/(console)/cold-starts/cold-starts.module.css";
import type { Percentiles } from "@/lib/domain/cold-start/report-stats";
import type { ColdStartCounts } from "@/lib/domain/cold-start/summarize-cold-starts";
import type { FunctionColdStartsView } from "@/lib/queries/cold-starts-view";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import section from "@/app/(console)/_components/section.module.css";

function PercentileCells({ percentiles }: { percentiles: Percentiles | null }) {
  return (
    <>
      {(["p50", "p90", "p99", "max"] as const).map((key) => (
        <td key={key} className="num" data-key={key} data-value={percentiles?.[key] ?? ""}>
          {formatDurationMs(percentiles?.[key] ?? null)}
        </td>
      ))}
    </>
  );
}

/** A breakdown table (by version or by memory size): calls, cold starts, ratio and cold-start p50/p99. */
function BreakdownTable({ testId, caption, label, rows }: { testId: string; caption: string; label: string; rows: (ColdStartCounts & { key: string; name: string })[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">Invocations</th>
            <th scope="col" className="num">Cold starts</th>
            <th scope="col" className="num">Ratio</th>
            <th scope="col" className="num">p50</th>
            <th scope="col" className="num">p99</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{row.name}</th>
              <td className="num" data-value={row.invocations}>{formatCompactNumber(row.invocations)}</td>
              <td className={row.coldStarts === 0 ? "num zero" : "num"} data-value={row.coldStarts}>{formatInteger(row.coldStarts)}</td>
              <td className="num" data-value={row.coldStartRatio ?? ""}>{formatPercent(row.coldStartRatio)}</td>
              <td className="num">{formatDurationMs(row.coldStartDurationMs?.p50 ?? null)}</td>
              <td className="num">{formatDurationMs(row.coldStartDurationMs?.p99 ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One function's cold starts: counts and ratio by hour (chart), version and memory size, the
 * init (or SnapStart restore) percentiles, what INIT costs per day and how much of the p99 cold
 * starts cause. Server-rendered from the view model; used on the Cold starts page and on the
 * function page.
 */
export function FunctionColdStarts({ view }: { view: FunctionColdStartsView }) {
  const { function: fn, summary, initCost, p99Impact, coverage } = view;
  const titleId = `function-cold-starts-title-${fn.accountId}-${fn.region}-${fn.functionName}`;
  return (
    <section className={section.section} id="function-cold-starts" data-testid="function-cold-starts" data-function={fn.functionName} aria-labelledby={titleId}>
      <header className={section.sectionHeader}>
        <h2 id={titleId}>Cold starts · {fn.functionName}</h2>
        {summary.heavy ? (
          <span className={`${styles.badge} ${styles.heavy}`} data-testid="cold-start-heavy" title="At least 5 cold starts and at least 5 % of invocations in this range">
            Cold-start heavy
          </span>
        ) : null}
      </header>
      <p className={styles.meta}>
        {fn.runtime ?? "container image"} · {fn.architecture} · {formatMemoryMb(fn.memoryMb)} · {fn.packageType}
        {fn.snapStart ? " · SnapStart" : ""}
        {fn.provisionedConcurrency > 0 ? ` · ${formatInteger(fn.provisionedConcurrency)} provisioned` : ""} · {fn.region} · {fn.accountId} ·{" "}
        <Link href={functionDetailHref(fn)}>Function page</Link>
      </p>
      {coverage === null ? (
        <p className="muted" data-testid="cold-starts-no-reports">No REPORT lines have been collected for this account and region yet.</p>
      ) : null}

      <StatRow>
        <Stat label="Invocations" value={formatCompactNumber(summary.invocations)} dataValue={summary.invocations} testId="cold-start-invocations" />
        <Stat label="Cold starts" value={formatInteger(summary.coldStarts)} dataValue={summary.coldStarts} testId="cold-start-count" />
        <Stat label="Cold-start ratio" value={formatPercent(summary.coldStartRatio)} dataValue={summary.coldStartRatio} testId="cold-start-ratio" />
        <Stat label="Callers waited per day" value={formatDurationMs(summary.coldStartWaitMsPerDay)} dataValue={summary.coldStartWaitMsPerDay} testId="cold-start-wait" />
      </StatRow>

      <div className={styles.grid}>
        <figure className={`${styles.chart} ${styles.wide}`} data-testid="cold-start-chart">
          <figcaption className={styles.note}>
            Cold starts and cold-start ratio per hour{coverage ? `, ${formatWindowUtc(coverage)}` : ""}
          </figcaption>
          <div className={styles.chartBox} role="img" aria-label={describeColdStartChart(summary.byHour)}>
            <ColdStartChart points={summary.byHour.map((h) => ({ hourStartMs: h.hourStartMs, coldStarts: h.coldStarts, coldStartRatio: h.coldStartRatio }))} />
          </div>
        </figure>

        <div className={styles.block} data-testid="init-percentiles">
          <h3>{fn.snapStart ? "Init and restore duration" : "Init duration"}</h3>
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Cold-start duration percentiles over the range</caption>
              <thead>
                <tr>
                  <th scope="col">What callers waited for</th>
                  <th scope="col" className="num">p50</th>
                  <th scope="col" className="num">p90</th>
                  <th scope="col" className="num">p99</th>
                  <th scope="col" className="num">max</th>
                </tr>
              </thead>
              <tbody>
                <tr data-key="init">
                  <th scope="row">Init Duration</th>
                  <PercentileCells percentiles={summary.initDurationMs} />
                </tr>
                {summary.restoreDurationMs !== null || fn.snapStart ? (
                  <tr data-key="restore">
                    <th scope="row">Restore Duration (SnapStart)</th>
                    <PercentileCells percentiles={summary.restoreDurationMs} />
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <p className={styles.note}>
            {formatInteger(summary.coldStarts)} cold starts{summary.snapStartRestores > 0 ? `, ${formatInteger(summary.snapStartRestores)} of them SnapStart restores` : ""}. Hourly
            percentiles merged as a cold-start-weighted mixture: an estimate, the max is exact.
          </p>
        </div>

        <div className={styles.block} data-testid="init-cost">
          <h3>INIT cost</h3>
          <dl className={styles.facts}>
            <dt>Per day</dt>
            <dd data-testid="init-cost-usd-per-day" data-value={initCost.initCostUsdPerDay}>
              {formatUsd(initCost.initCostUsdPerDay)}
            </dd>
            <dt>Billed INIT</dt>
            <dd data-value={initCost.initGbSecondsPerDay}>{formatGbSeconds(initCost.initGbSecondsPerDay)} per day</dd>
            <dt>Share of the duration bill</dt>
            <dd data-testid="init-cost-share" data-value={initCost.initShareOfDurationCostRatio ?? ""}>
              {formatPercent(initCost.initShareOfDurationCostRatio)} of {formatUsd(initCost.durationCostUsdPerDay)} per day
            </dd>
            <dt>Price</dt>
            <dd>
              {formatUsdPerGbSecond(initCost.price.usdPerGbSecond)}, on-demand first tier, {initCost.price.architecture}, {initCost.price.pricedRegion}
              {initCost.price.assumed ? ` (assumed: ${fn.region} is not in the price book)` : ""}
            </dd>
          </dl>
          <p className={styles.note} data-testid="init-billing-finding" data-init={initCost.initFinding.kind} data-restore={initCost.restoreFinding.kind}>
            {describeAccounting("INIT", initCost.initAccounting)} {describeFinding("Init Duration", initCost.initFinding)}
            {initCost.restoreAccounting !== "none" ? ` ${describeAccounting("SnapStart restore", initCost.restoreAccounting)} ${describeFinding("Billed Restore Duration", initCost.restoreFinding)}` : ""}{" "}
            {BILLING_RULE_WORDS[initCost.rule]}
          </p>
        </div>

        <div className={styles.block} data-testid="p99-share" data-kind={p99Impact.kind}>
          <h3>Cold starts in the p99</h3>
          {p99Impact.kind === "estimated" ? (
            <>
              <dl className={styles.facts}>
                <dt>p99 callers see</dt>
                <dd data-value={p99Impact.callerP99Ms}>{formatDurationMs(p99Impact.callerP99Ms)}</dd>
                <dt>p99 were every call warm</dt>
                <dd data-value={p99Impact.warmP99Ms}>{formatDurationMs(p99Impact.warmP99Ms)}</dd>
                <dt>Caused by cold starts</dt>
                <dd data-testid="p99-share-ratio" data-value={p99Impact.coldStartShareOfP99Ratio}>
                  {formatPercent(p99Impact.coldStartShareOfP99Ratio)} ({formatDurationMs(p99Impact.coldStartAddedP99Ms)})
                </dd>
              </dl>
              <p className={styles.verdict} data-verdict={p99Impact.verdict}>
                {VERDICT_WORDS[p99Impact.verdict]}
              </p>
              <p className={styles.note}>
                Model: warm Duration (CloudWatch p50/p90/p99), plus init for the {formatPercent(p99Impact.coldStartRatio)} of calls that start cold.
              </p>
            </>
          ) : (
            <p className="muted" data-testid="p99-share-insufficient">
              Cannot say yet: {p99Impact.reason}.
            </p>
          )}
        </div>

        <div className={styles.block}>
          <h3>By version</h3>
          {summary.byVersion.length === 0 ? (
            <p className="muted">{MISSING}</p>
          ) : (
            <BreakdownTable
              testId="cold-starts-by-version"
              caption="Cold starts by version"
              label="Version"
              rows={summary.byVersion.map((v) => ({ ...v, key: v.version ?? "", name: v.version ?? "(not split by version)" }))}
            />
          )}
        </div>

        <div className={styles.block}>
          <h3>By memory size</h3>
          {summary.byMemorySize.length === 0 ? (
            <p className="muted">{MISSING}</p>
          ) : (
            <BreakdownTable
              testId="cold-starts-by-memory"
              caption="Cold starts by memory size"
              label="Memory"
              rows={summary.byMemorySize.map((m) => ({ ...m, key: String(m.memorySizeMb), name: formatMemoryMb(m.memorySizeMb) }))}
            />
          )}
        </div>
      </div>
    </section>
  );
}
