import type { AlertState } from "@/lib/domain/slo/alert-lifecycle";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import type { SloDefinition, SloSpec } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** One UTC day of an SLO's SLI ledger: good and total events per hour, null where not known. */
export interface SliLedgerDay {
  sloId: string;
  /** Which SLI the counts are of (sliKeyOf): a changed target or indicator starts a new ledger. */
  sliKey: string;
  dayStartMs: number;
  good: (number | null)[];
  total: (number | null)[];
}

/** Hours before `throughMs` are in the ledger for `sliKey` (from where the data starts). */
export interface SliLedgerState {
  sloId: string;
  sliKey: string;
  throughMs: number;
}

/** SLO definitions, their evaluations, SLI ledgers and alert episodes (keys.ts). */
export interface SloStore {
  list(): Promise<SloDefinition[]>;
  get(id: string): Promise<SloDefinition | null>;
  /** Creates an SLO; fails with SloExistsError when the id is taken. */
  create(spec: SloSpec, by: string, nowMs: number): Promise<SloDefinition>;
  /** Replaces an SLO when its stored version is `expectedVersion`; SloVersionConflictError otherwise, SloNotFoundError when absent. */
  update(spec: SloSpec, expectedVersion: number, by: string, nowMs: number): Promise<SloDefinition>;
  /** Deletes an SLO with its status, ledger and alert history; false when it did not exist. */
  delete(id: string): Promise<boolean>;

  putStatus(status: SloStatus): Promise<void>;
  getStatus(id: string): Promise<SloStatus | null>;
  listStatuses(): Promise<SloStatus[]>;

  /** How far an SLO's ledger is complete, and for which SLI; null before its first evaluation. */
  getLedgerState(sloId: string): Promise<SliLedgerState | null>;
  /** Records ledger progress; call after the days it covers are written. */
  putLedgerState(state: SliLedgerState): Promise<void>;
  /** Writes whole ledger days (a rerun writes the same items). */
  putLedgerDays(days: readonly SliLedgerDay[]): Promise<number>;
  /** The ledger's hours overlapping `window` for one SLI, as hour buckets (hours with no counts left out). */
  readLedger(sloId: string, sliKey: string, window: TimeWindow): Promise<SliBucket[]>;

  /** Writes (replaces) alert episodes. */
  putAlerts(alerts: readonly AlertState[]): Promise<void>;
  /** Episodes of an SLO that started at or after sinceMs, or are still firing, oldest first. */
  listAlerts(sloId: string, sinceMs: number): Promise<AlertState[]>;
}
