"use client";

import { useId, useState, type ReactNode } from "react";
import styles from "@/app/(console)/collectors/collectors.module.css";

/**
 * One run of the ledger table: its cells, a toggle, and a full-width row under it with the
 * details (rendered on the server, shown on demand), so warnings and errors get the table's
 * whole width instead of one narrow cell.
 */
export function ExpandableRunRow({
  collector,
  outcome,
  cells,
  details,
  toggleLabel,
  columns,
}: {
  collector: string;
  outcome: string;
  cells: ReactNode;
  /** Null when the run has nothing more to show. */
  details: ReactNode | null;
  toggleLabel: string;
  /** Columns of the table, toggle included, for the details row's span. */
  columns: number;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <tr data-testid="collector-run-row" data-collector={collector} data-outcome={outcome} className={open ? styles.openRow : undefined}>
        {cells}
        <td>
          {details === null ? (
            <span className="muted">—</span>
          ) : (
            <button type="button" className={`button button-quiet ${styles.toggle}`} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
              <span aria-hidden="true">{open ? "▾" : "▸"}</span> {toggleLabel}
            </button>
          )}
        </td>
      </tr>
      {details !== null ? (
        <tr id={id} hidden={!open} className={styles.detailsRow} data-testid="run-details">
          <td colSpan={columns}>{details}</td>
        </tr>
      ) : null}
    </>
  );
}
