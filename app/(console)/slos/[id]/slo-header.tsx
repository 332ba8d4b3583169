import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTimeUtc } from "@/app/(console)/_format/format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { SloStatusPill } from "@/app/(console)/slos/slo-status-pill";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** The SLO page's header: name and level, what it measures and where, its description and labels; `actions` on the right. */
export function SloHeader({ view, actions }: { view: SloDetailView; actions: ReactNode }) {
  const { row, definition } = view;
  const labels = Object.entries(definition.labels);
  return (
    <header className="page-header">
      <div>
        <p className={styles.breadcrumb}>
          <Link href="/slos">SLOs</Link> /
        </p>
        <div className={styles.titleRow}>
          <h1>{row.name}</h1>
          <SloStatusPill level={row.level} />
        </div>
        <p className="subtitle" data-testid="slo-facts">
          {row.functionName !== null ? (
            <Link href={functionDetailHref({ functionName: row.functionName, accountId: row.accountId, region: row.region })}>{row.functionName}</Link>
          ) : (
            row.target
          )}{" "}
          · {row.indicator} · objective {row.objectiveLabel} · {row.window} · account {row.accountId} · {row.region}
        </p>
        {definition.description ? <p className={styles.description}>{definition.description}</p> : null}
        <p className={styles.meta}>
          Id <code>{row.id}</code> · service {row.service} · version {definition.version}, saved by {definition.updatedBy} at {formatDateTimeUtc(definition.updatedAtMs)}
          {row.alertingEnabled ? "" : " · alerting off"}
        </p>
        {labels.length > 0 ? (
          <ul className={styles.labels} aria-label="Labels">
            {labels.map(([key, value]) => (
              <li key={key}>
                {key}={value}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {actions}
    </header>
  );
}
