"use client";

import { Fragment, useEffect, useState, type CSSProperties } from "react";
import Link from "next/link";
import { formatDateTimeUtc, formatDurationMs, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { HEALTH_COLORS } from "@/app/(console)/map/map-colors";
import {
  formatCauses,
  formatChangeRatio,
  formatExemplarKind,
  formatHealth,
  formatMsDelta,
  formatNodeKind,
  formatOutcome,
  formatRatePerMinute,
  formatRatioDelta,
} from "@/app/(console)/map/map-format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { nodeDetailUrl } from "@/app/(console)/map/map-href";
import styles from "@/app/(console)/map/service-map.module.css";
import type { MapScope, ServiceMapNodeDetail, ServiceMapNodeView } from "@/lib/queries/service-map-view";

type DetailState = { status: "loading" } | { status: "ready"; detail: ServiceMapNodeDetail } | { status: "failed"; message: string };

/** Reads the API's error answer ({ error: { message } }), else names the status. */
async function errorMessageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return `the server answered ${response.status}`;
}

/** The node's detail from the API; a node only in the baseline has none in this range. */
function useNodeDetail(url: string | null): DetailState | null {
  const [state, setState] = useState<DetailState | null>(url === null ? null : { status: "loading" });
  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    fetch(url, { headers: { accept: "application/json" }, signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(await errorMessageOf(response));
        setState({ status: "ready", detail: (await response.json()) as ServiceMapNodeDetail });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: "failed", message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [url]);
  return state;
}

function Histogram({ detail }: { detail: ServiceMapNodeDetail }) {
  const bins = detail.histogram;
  const { traffic, totalCount } = detail.node;
  if (bins.length === 0) return <p className="muted">No requests in this range.</p>;
  return (
    <>
      <div className={styles.histogram} role="img" aria-label={`Response times of ${formatInteger(totalCount)} requests: p50 ${formatDurationMs(traffic.p50ResponseTimeMs)}, p99 ${formatDurationMs(traffic.p99ResponseTimeMs)}`}>
        {bins.map((bin) => (
          <div
            key={bin.lowerMs}
            className={styles.bar}
            style={{ height: `${bin.peakRatio * 100}%` }}
            title={`${formatDurationMs(bin.lowerMs)}–${formatDurationMs(bin.upperMs)}: ${formatInteger(bin.count)} requests`}
          />
        ))}
      </div>
      <div className={styles.axis}>
        <span>{formatDurationMs(bins[0]!.lowerMs)}</span>
        <span>
          p50 {formatDurationMs(traffic.p50ResponseTimeMs)} · p99 {formatDurationMs(traffic.p99ResponseTimeMs)}
        </span>
        <span>{formatDurationMs(bins.at(-1)!.upperMs)}</span>
      </div>
    </>
  );
}

function Exemplars({ detail }: { detail: ServiceMapNodeDetail }) {
  if (!detail.hasExemplarSource) return <p className="muted">Exemplar traces are collected for Lambda functions; open one of the functions this node talks to.</p>;
  if (detail.exemplars.length === 0) return <p className="muted">No exemplar traces stored for this range yet (they are collected for complete hours of the last day).</p>;
  return (
    <ul className={styles.exemplars}>
      {detail.exemplars.map((exemplar) => (
        <li key={`${exemplar.kind}-${exemplar.traceId}`}>
          <div className={styles.exemplarHead}>
            <strong>{formatExemplarKind(exemplar.kind)}</strong>
            <a data-testid="exemplar-link" href={exemplar.xrayConsoleUrl} target="_blank" rel="noreferrer">
              Open in X-Ray
            </a>
          </div>
          <div className={styles.exemplarMeta}>
            {formatDurationMs(exemplar.responseTimeMs)} · {formatDateTimeUtc(exemplar.startMs)}
            {detail.node.functionNames.length > 1 ? ` · ${exemplar.functionName}` : ""}
            {exemplar.coldStart ? ` · cold start${exemplar.initDurationMs !== null ? ` (init ${formatDurationMs(exemplar.initDurationMs)})` : ""}` : ""}
            {exemplar.http ? ` · ${exemplar.http.method} ${exemplar.http.status ?? ""}` : ""}
          </div>
          {exemplar.faultCause ? <div className={`${styles.exemplarMeta} ${styles.errorText}`}>{exemplar.faultCause}</div> : null}
          <div className={styles.exemplarMeta}>
            <code>{exemplar.traceId}</code>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The side panel of the selected node: health, traffic, errors, latency histogram, exemplars, links. */
export function NodePanel({
  node,
  scope,
  window,
  collapsed,
  onClose,
}: {
  node: ServiceMapNodeView;
  scope: MapScope;
  window: { fromMs: number; toMs: number };
  collapsed: boolean;
  onClose: () => void;
}) {
  const gone = node.change?.presence === "gone";
  const state = useNodeDetail(gone ? null : nodeDetailUrl({ nodeId: node.id, scope, window, collapsed }));
  const { traffic, change } = node;
  return (
    <aside className={styles.panel} style={{ "--health": HEALTH_COLORS[node.health] } as CSSProperties} data-testid="node-panel" aria-label={`Details of ${node.name}`}>
      <div className={styles.panelHeader}>
        <div>
          <div className="muted">{formatNodeKind(node.kind)}</div>
          <h2>{node.name}</h2>
        </div>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Close the details">
          ✕
        </button>
      </div>
      <dl className={styles.facts}>
        <dt>Health</dt>
        <dd>
          <span className={styles.healthWord}>{formatHealth(node.health)}</span>
          {node.healthCauses.length > 0 ? ` — ${formatCauses(node.healthCauses)}` : ""}
          {node.healthFromMembers ? " — a member of this service" : ""}
        </dd>
        <dt>Requests</dt>
        <dd>
          {formatRatePerMinute(traffic.requestsPerMinute)} ({formatInteger(node.totalCount)} sampled)
        </dd>
        <dt>Latency</dt>
        <dd>
          p50 {formatDurationMs(traffic.p50ResponseTimeMs)} · p99 {formatDurationMs(traffic.p99ResponseTimeMs)} · mean {formatDurationMs(traffic.meanResponseTimeMs)}
        </dd>
        {node.badges.map((badge) =>
          badge.kind === "cold-start-heavy" ? (
            <BadgeFact key={badge.kind} label="Cold starts" text={`${formatPercent(badge.coldStartRatio)} of ${formatInteger(badge.invocations)} invocations (${badge.functionNames.join(", ")})`} />
          ) : (
            <Fragment key={badge.kind}>
              <dt>SLOs alerting</dt>
              <dd>
                {badge.slos.map((s, i) => (
                  <span key={s.id}>
                    {i > 0 ? ", " : ""}
                    <Link href={`/slos/${encodeURIComponent(s.id)}`}>{s.name}</Link> ({s.level === "page" ? "paging" : "ticket"})
                  </span>
                ))}
              </dd>
            </Fragment>
          ),
        )}
        {change !== null ? (
          <>
            <dt>Vs baseline</dt>
            <dd className={change.verdict === "worse" ? styles.worse : change.verdict === "better" ? styles.better : undefined}>
              {change.presence === "new"
                ? "Only in this range"
                : change.presence === "gone"
                  ? "Only in the baseline"
                  : `rate ${formatChangeRatio(change.requestsPerMinuteChangeRatio)} · 5xx ${formatRatioDelta(change.faultRatioDelta)} · 4xx ${formatRatioDelta(change.errorRatioDelta)} · 429 ${formatRatioDelta(change.throttleRatioDelta)} · p99 ${formatMsDelta(change.p99ResponseTimeMsDelta)}`}
              {change.reasons.length > 0 ? ` (${change.verdict}: ${formatCauses(change.reasons)})` : ""}
            </dd>
          </>
        ) : null}
      </dl>

      <section data-testid="node-errors" aria-labelledby="node-errors-title">
        <h3 id="node-errors-title">Outcomes</h3>
        <table className={styles.outcomes}>
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">Requests</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {node.outcomes.map((o) => (
              <tr key={o.outcome}>
                <td>{formatOutcome(o.outcome)}</td>
                <td>{formatInteger(o.count)}</td>
                <td>{formatPercent(o.ratio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {gone ? (
        <p className="muted">This node had no traffic in this range; it appears in the baseline only.</p>
      ) : state?.status === "failed" ? (
        <p className={styles.errorText} role="alert">
          Could not load the details: {state.message}
        </p>
      ) : state?.status === "ready" ? (
        <>
          <section data-testid="node-histogram" aria-labelledby="node-histogram-title">
            <h3 id="node-histogram-title">Response time</h3>
            <Histogram detail={state.detail} />
          </section>
          <section aria-labelledby="node-exemplars-title">
            <h3 id="node-exemplars-title">Exemplar traces</h3>
            <Exemplars detail={state.detail} />
          </section>
        </>
      ) : (
        <p className="muted" aria-live="polite">
          Loading the latency histogram and exemplar traces…
        </p>
      )}

      {node.functionNames.length > 0 ? (
        <section aria-labelledby="node-functions-title">
          <h3 id="node-functions-title">{node.functionNames.length === 1 ? "Function" : "Functions"}</h3>
          <ul className={styles.links}>
            {node.functionNames.map((functionName) => (
              <li key={functionName}>
                <Link data-testid="function-link" href={functionDetailHref({ ...scope, functionName })}>
                  {functionName}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  );
}

function BadgeFact({ label, text }: { label: string; text: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </>
  );
}
