import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatDateTimeUtc, formatRelativeTime } from "@/app/(console)/_format/format";
import { StatusBadge } from "@/app/(console)/functions/[name]/section-parts";
import { RollbackButton } from "@/app/(console)/tuning/[name]/rollback-button.client";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { AUDIT_ACTION_WORDS, describeBeforeAfter, describeChange, describeChangeSetting } from "@/app/(console)/tuning/tuning-words";
import type { TuningAuditEntry } from "@/lib/domain/sizing/tuning-types";

/** What a rollback undid: "of the apply at 2026-01-05 10:12 UTC", or its id when that entry is not listed. */
function describeUndone(auditId: string, entries: TuningAuditEntry[]): string {
  const undone = entries.find((e) => e.id === auditId);
  return undone ? `of the apply at ${formatDateTimeUtc(undone.atMs)}` : `of ${auditId}`;
}

/**
 * Every apply and rollback of the function, newest first: when, who, what changed, the
 * Lambda call and whether it worked. A succeeded apply not yet rolled back has "Roll back"
 * (disabled, with the reason above the table, for roles without tuning:apply).
 */
export function AuditSection({ entries, nowMs, deniedReason }: { entries: TuningAuditEntry[]; nowMs: number; deniedReason: string | null }) {
  const newestFirst = [...entries].sort((a, b) => b.atMs - a.atMs || b.id.localeCompare(a.id));
  const rolledBack = new Map(entries.filter((e) => e.action === "rollback" && e.result === "succeeded" && e.rollbackOf !== null).map((e) => [e.rollbackOf!, e]));
  const canRollBackAny = newestFirst.some((e) => e.action === "apply" && e.result === "succeeded" && !rolledBack.has(e.id));
  return (
    <SectionCard testId="tuning-audit" title="Audit log" wide>
      {newestFirst.length === 0 ? (
        <p className="muted" data-testid="tuning-audit-empty">
          No change has been applied to this function from Sightline yet.
        </p>
      ) : (
        <>
          {deniedReason !== null && canRollBackAny ? (
            <p className={styles.reason} data-testid="rollback-disabled-reason">
              {deniedReason}
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Applies and rollbacks of this function, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Change</th>
                  <th scope="col">Lambda call</th>
                  <th scope="col">Result</th>
                  <th scope="col">
                    <span className="visually-hidden">Roll back</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((entry) => {
                  const undoneBy = rolledBack.get(entry.id);
                  return (
                    <tr key={entry.id} data-testid="audit-entry" data-action={entry.action} data-result={entry.result} data-audit-id={entry.id}>
                      <td title={formatDateTimeUtc(entry.atMs)}>
                        {formatDateTimeUtc(entry.atMs)}
                        <span className="fn-meta">{formatRelativeTime(entry.atMs, nowMs)}</span>
                      </td>
                      <td>
                        {entry.actor}
                        <span className="fn-meta">{entry.role}</span>
                      </td>
                      <td>
                        {AUDIT_ACTION_WORDS[entry.action]}
                        {entry.rollbackOf !== null ? <span className="fn-meta">{describeUndone(entry.rollbackOf, entries)}</span> : null}
                      </td>
                      <td title={`${describeChange(entry.before)} → ${describeChange(entry.after)}`}>
                        {describeChangeSetting(entry.after)}: {describeBeforeAfter(entry.before, entry.after)}
                      </td>
                      <td className={styles.mono}>{entry.operation}</td>
                      <td className={styles.wrap}>
                        <StatusBadge tone={entry.result === "succeeded" ? "good" : "bad"} status={entry.result}>
                          {entry.result}
                        </StatusBadge>
                        {entry.error ? (
                          <span className="fn-meta" data-testid="audit-error">
                            {entry.error}
                          </span>
                        ) : null}
                      </td>
                      <td className={styles.rowActions}>
                        {entry.action === "apply" && entry.result === "succeeded" ? (
                          undoneBy ? (
                            <span className="muted">rolled back {formatRelativeTime(undoneBy.atMs, nowMs)}</span>
                          ) : (
                            <RollbackButton auditId={entry.id} restores={describeChange(entry.before)} deniedReason={deniedReason} />
                          )
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </SectionCard>
  );
}
