import type { TuningAuditEntry } from "@/lib/domain/sizing/tuning-types";
import type { TuningAuditQuery, TuningAuditStore } from "@/lib/ports/tuning-apply";

/** Entries a list shows unless asked for fewer, and the most one request returns. */
export const DEFAULT_AUDIT_LIMIT = 50;
export const MAX_AUDIT_LIMIT = 500;

/** The tuning audit log, newest first, optionally for one account, region or function (API, console, CLI). */
export async function listTuningAudit(
  deps: { tuningAudit: TuningAuditStore },
  query: Partial<TuningAuditQuery>,
): Promise<TuningAuditEntry[]> {
  const limit = Math.min(MAX_AUDIT_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_AUDIT_LIMIT)));
  return deps.tuningAudit.list({ ...query, limit });
}
