import type { AlertState } from "@/lib/domain/slo/alert-lifecycle";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import type { SloDefinition, SloSpec } from "@/lib/domain/slo/slo-definition";
import { SloExistsError, SloNotFoundError, SloVersionConflictError } from "@/lib/domain/slo/slo-errors";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { SliLedgerDay, SliLedgerState, SloStore } from "@/lib/ports/slo-store";

/** The SLO store in memory, with the DynamoDB store's semantics (versions, whole ledger days). */
export class InMemorySloStore implements SloStore {
  readonly definitions = new Map<string, SloDefinition>();
  readonly statuses = new Map<string, SloStatus>();
  readonly ledgerDays = new Map<string, SliLedgerDay>();
  readonly ledgerStates = new Map<string, SliLedgerState>();
  readonly alerts = new Map<string, AlertState>();
  /** Ledger day writes, for tests that check what a run rewrote. */
  ledgerWrites = 0;

  async list() {
    return [...this.definitions.values()].map((d) => structuredClone(d));
  }
  async get(id: string) {
    const d = this.definitions.get(id);
    return d ? structuredClone(d) : null;
  }
  async create(spec: SloSpec, by: string, nowMs: number) {
    if (this.definitions.has(spec.id)) throw new SloExistsError(spec.id);
    const definition: SloDefinition = { ...structuredClone(spec), version: 1, createdAtMs: nowMs, updatedAtMs: nowMs, updatedBy: by };
    this.definitions.set(spec.id, definition);
    return structuredClone(definition);
  }
  async update(spec: SloSpec, expectedVersion: number, by: string, nowMs: number) {
    const current = this.definitions.get(spec.id);
    if (!current) throw new SloNotFoundError(spec.id);
    if (current.version !== expectedVersion) throw new SloVersionConflictError(spec.id, expectedVersion);
    const definition: SloDefinition = { ...structuredClone(spec), version: expectedVersion + 1, createdAtMs: current.createdAtMs, updatedAtMs: nowMs, updatedBy: by };
    this.definitions.set(spec.id, definition);
    return structuredClone(definition);
  }
  async delete(id: string) {
    const existed = this.definitions.delete(id);
    this.statuses.delete(id);
    this.ledgerStates.delete(id);
    for (const key of [...this.ledgerDays.keys()]) if (key.startsWith(`${id}#`)) this.ledgerDays.delete(key);
    for (const key of [...this.alerts.keys()]) if (key.startsWith(`${id}#`)) this.alerts.delete(key);
    return existed;
  }
  async putStatus(status: SloStatus) {
    this.statuses.set(status.sloId, structuredClone(status));
  }
  async getStatus(id: string) {
    const s = this.statuses.get(id);
    return s ? structuredClone(s) : null;
  }
  async listStatuses() {
    return [...this.statuses.values()].map((s) => structuredClone(s));
  }
  async getLedgerState(sloId: string) {
    return this.ledgerStates.get(sloId) ?? null;
  }
  async putLedgerState(state: SliLedgerState) {
    this.ledgerStates.set(state.sloId, { ...state });
  }
  async putLedgerDays(days: readonly SliLedgerDay[]) {
    for (const d of days) this.ledgerDays.set(`${d.sloId}#${d.dayStartMs}`, structuredClone(d));
    this.ledgerWrites += days.length;
    return days.length;
  }
  async readLedger(sloId: string, sliKey: string, window: TimeWindow): Promise<SliBucket[]> {
    const buckets: SliBucket[] = [];
    for (const day of this.ledgerDays.values()) {
      if (day.sloId !== sloId || day.sliKey !== sliKey) continue;
      day.good.forEach((good, h) => {
        const total = day.total[h];
        const startMs = day.dayStartMs + h * HOUR_MS;
        if (good == null || total == null || startMs + HOUR_MS <= window.fromMs || startMs >= window.toMs) return;
        buckets.push({ startMs, durationMs: HOUR_MS, good, total });
      });
    }
    return buckets.sort((a, b) => a.startMs - b.startMs);
  }
  async putAlerts(alerts: readonly AlertState[]) {
    for (const a of alerts) this.alerts.set(`${a.sloId}#${a.startedAtMs}#${a.severity}`, structuredClone(a));
  }
  async listAlerts(sloId: string, sinceMs: number) {
    return [...this.alerts.values()]
      .filter((a) => a.sloId === sloId && (a.status === "firing" || a.startedAtMs >= sinceMs || (a.endedAtMs ?? 0) >= sinceMs))
      .sort((a, b) => a.startedAtMs - b.startedAtMs || a.severity.localeCompare(b.severity))
      .map((a) => structuredClone(a));
  }
}
