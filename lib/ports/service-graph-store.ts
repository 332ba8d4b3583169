import type { FunctionExemplars, TraceExemplar } from "@/lib/domain/service-map/exemplars";
import type { MergedServiceGraph } from "@/lib/domain/service-map/merge-snapshots";
import type { ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** Where the traces collector writes (whole items, deterministic keys: reruns overwrite alike). */
export interface ServiceGraphWriter {
  /** Writes (replaces) the snapshot of its hour window; returns the items written. */
  putSnapshot(snapshot: ServiceGraphSnapshot): Promise<number>;
  /** Writes (replaces) the exemplars of each function for one hour window; returns the items written. */
  putExemplars(scope: { accountId: string; region: string }, window: TimeWindow, exemplars: readonly FunctionExemplars[]): Promise<number>;
}

/** The read side: a range of hours merged, and a function's exemplars. */
export interface ServiceGraphReader {
  /** The usable snapshots of the hours overlapping `window`, one per hour, oldest first (torn writes left out). */
  readSnapshots(scope: { accountId: string; region: string }, window: TimeWindow): Promise<ServiceGraphSnapshot[]>;
  /** The snapshots of the hours overlapping `window`, merged (merge-snapshots.ts). */
  readServiceGraph(scope: { accountId: string; region: string }, window: TimeWindow): Promise<MergedServiceGraph>;
  /** Every exemplar stored for a function in the hours overlapping `window`, oldest hour first. */
  readExemplars(scope: { accountId: string; region: string }, functionName: string, window: TimeWindow): Promise<TraceExemplar[]>;
}

export type ServiceGraphStore = ServiceGraphWriter & ServiceGraphReader;
