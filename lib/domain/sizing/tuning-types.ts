import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { AccountConcurrency, Architecture, FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * The vocabulary of tuning (issue 7): what the sizing analyses read, what a recommendation
 * says, and what the apply path can change. Pure types; the analyses live next to this file.
 *
 * Money is USD as a float here: these are projections of list prices, not billed amounts
 * (billed money is integer micro-USD, DESIGN.md §4.7).
 */

/** A projection with its uncertainty: `lower ≤ expected ≤ upper` (in the quantity's own order, not "better/worse"). */
export interface Range {
  lower: number;
  expected: number;
  upper: number;
}

export type Confidence = "high" | "medium" | "low";

export type TuningKind = "memory" | "architecture" | "provisioned-concurrency" | "reserved-concurrency";

/** What a recommendation found; the console words them (tuning-words.ts). */
export type TuningFinding =
  /** Memory far above what the function uses and what its speed needs: lower it. */
  | "over-provisioned-memory"
  /** Out of memory, too little headroom, or CPU-starved: raise it. */
  | "memory-starved"
  /** Same work for less money on Graviton. */
  | "arm64-candidate"
  /** Cold starts hurt latency (and a latency SLO): add provisioned concurrency. */
  | "cold-start-heavy"
  /** Provisioned concurrency paid for and mostly unused: lower or schedule it. */
  | "idle-provisioned-concurrency"
  /** Provisioned concurrency too small at peak: invocations spill over to on-demand (cold). */
  | "provisioned-concurrency-spillover"
  /** The reserved concurrency cap throttles invocations. */
  | "reserved-concurrency-throttling"
  /** No cap where one protects a downstream resource or the account pool. */
  | "reserved-concurrency-missing";

/**
 * A change the apply path makes with one Lambda API call through the adapter:
 * - memory → UpdateFunctionConfiguration(MemorySize);
 * - provisioned-concurrency → PutProvisionedConcurrencyConfig on the qualifier (0 → DeleteProvisionedConcurrencyConfig);
 * - reserved-concurrency → PutFunctionConcurrency (null → DeleteFunctionConcurrency).
 */
export type TuningChange =
  | { kind: "memory"; memoryMb: number }
  | { kind: "provisioned-concurrency"; qualifier: string; executions: number }
  | { kind: "reserved-concurrency"; executions: number | null };

/** One step of a time-of-day provisioned-concurrency schedule (Application Auto Scaling scheduled actions), UTC, every day. */
export interface PcScheduleStep {
  /** Minute of the UTC day the step starts (0..1439). */
  fromMinute: number;
  /** Minute of the UTC day it ends, exclusive (1..1440); a step never wraps midnight (split it). */
  toMinute: number;
  executions: number;
}

/** How much provisioned concurrency, and when. */
export type PcPlan =
  | { kind: "none" }
  | { kind: "fixed"; executions: number }
  /** `baseline` outside the steps. */
  | { kind: "schedule"; baseline: number; steps: PcScheduleStep[] }
  /** Application Auto Scaling target tracking on LambdaProvisionedConcurrencyUtilization. */
  | { kind: "target-tracking"; targetUtilisation: number; min: number; max: number };

/** A metric now and as projected. `current` is null when it was not measured. */
export interface Effect {
  current: number | null;
  projected: Range;
}

/** One memory size as a strategy would pick it (Power Tuning's cost / speed / balanced). */
export interface MemoryOption {
  strategy: "cost" | "balanced" | "speed";
  memoryMb: number;
  monthlyCostUsd: Range;
  p50Ms: Range;
  p99Ms: Range;
}

export interface Recommendation {
  /** Stable: `<accountId>/<region>/<functionName>/<kind>`. */
  id: string;
  accountId: string;
  region: string;
  functionName: string;
  kind: TuningKind;
  finding: TuningFinding;
  /** One sentence a reader acts on, e.g. "Lower memory from 1,024 MB to 512 MB: …". */
  summary: string;
  /** The setting now and proposed, in words ("1,024 MB", "50 on live", "none"). */
  current: string;
  proposed: string;
  /** What apply does; null when no single Lambda call makes it (see notAppliableReason). */
  change: TuningChange | null;
  /** Why there is no `change` (e.g. an architecture move needs a new build), else null. */
  notAppliableReason: string | null;
  /** The undo of `change` (what apply's rollback calls), null when change is null. */
  revert: TuningChange | null;
  /** Provisioned-concurrency recommendations: the plan (a schedule is shown, and applied only as its fixed part). */
  pcPlan?: PcPlan;
  /** Projected monthly cost (30 days at the observed traffic) of this function, now and after. Negative delta = saving. */
  monthlyCost: { currentUsd: number; projectedUsd: Range; deltaUsd: Range };
  effects: {
    p50Ms?: Effect;
    p99Ms?: Effect;
    coldStartsPerDay?: Effect;
    throttlesPerDay?: Effect;
    spilloverPerDay?: Effect;
    /** Share (0..1) of the latency SLO's bad events cold starts cause, now and after. */
    sloColdStartBadShare?: Effect & { sloId: string; sloName: string };
  };
  confidence: Confidence;
  /** The observations the recommendation rests on, in words with figures. */
  evidence: string[];
  /** What was assumed (and can be changed in settings). */
  assumptions: string[];
  /** Risk units ≥ 1 (1 = high confidence, no latency cost); the fleet list ranks by saving / risk. */
  riskUnits: number;
  /** Memory recommendations: every strategy's pick. */
  options?: MemoryOption[];
}

/** What the analyze collector stores per function. */
export type FunctionTuning =
  | { status: "insufficient-data"; accountId: string; region: string; functionName: string; asOfMs: number; reason: string }
  | {
      status: "analysed";
      accountId: string;
      region: string;
      functionName: string;
      asOfMs: number;
      recommendations: Recommendation[];
      /** Checks that found nothing to change, or could not decide, with why (shown under "no recommendation"). */
      notes: string[];
      /** The fitted or assumed duration model, for the what-if and the detail view. */
      durationModel: DurationModel;
      /** Cost of the function now (30 days at observed traffic), for the fleet table. */
      currentMonthlyCostUsd: number;
    };

// ─── Inputs ────────────────────────────────────────────────────────────────────────────

/** One period (an hour or a minute) of a function's CloudWatch series; null = no datapoint. */
export interface PeriodSample {
  startMs: number;
  invocations: number;
  errors: number;
  throttles: number;
  durationAvgMs: number | null;
  durationP50Ms: number | null;
  durationP99Ms: number | null;
  /** ConcurrentExecutions, Maximum over the period. */
  concurrencyMax: number | null;
}

/** One period of an alias/version with provisioned concurrency (FACTS §4 alias metrics). */
export interface PcPeriodSample {
  startMs: number;
  /** ProvisionedConcurrentExecutions, Maximum (busy PC environments). */
  provisionedExecutionsMax: number | null;
  /** ProvisionedConcurrencyUtilization, Maximum, 0..1. */
  utilisationMax: number | null;
  provisionedInvocations: number;
  spilloverInvocations: number;
}

/** A latency SLO on the function (issue 6), with what cold starts do to it. */
export interface LatencySloInput {
  sloId: string;
  name: string;
  /** Good when a request completes within this (request-based) or the period's percentile meets it. */
  thresholdMs: number;
  /** Objective ratio, e.g. 0.99. */
  objective: number;
  /** Share (0..1) of the SLO's bad events over the lookback that cold starts cause; null when unknown. */
  coldStartBadShare: number | null;
  /** Budget consumed over its window so far, 0..1+ (1 = exhausted); null when not evaluated. */
  budgetConsumed: number | null;
}

export interface SizingSettings {
  /** Proposed memory ≥ headroom × the highest Max Memory Used seen (default 1.3). */
  memoryHeadroom: number;
  /** arm64 CPU time / x86_64 CPU time for the same work (an assumption, shown; I/O wait does not change). */
  arm64CpuRatio: Range;
  /** Target tracking's utilisation target (default 0.7, as in AWS's example). */
  pcTargetUtilisation: number;
  /** Below this monthly saving (USD) a change is not worth recommending. */
  minMonthlySavingUsd: number;
  /** …nor below this share (0..1) of the function's monthly cost: a smaller change is not worth its risk (default 0.2). */
  minSavingShare: number;
  /** Balanced strategy: the most the expected p50 may grow for a saving (0.15 = 15 %). */
  maxLatencyIncrease: number;
}

export const DEFAULT_SIZING_SETTINGS: SizingSettings = {
  memoryHeadroom: 1.3,
  arm64CpuRatio: { lower: 0.8, expected: 0.9, upper: 1.1 },
  pcTargetUtilisation: 0.7,
  minMonthlySavingUsd: 1,
  minSavingShare: 0.2,
  maxLatencyIncrease: 0.15,
};

/** Everything the sizing analyses of one function read (the analyze collector gathers it from the table). */
export interface SizingInput {
  fn: FunctionConfig;
  /** The account/region's concurrency settings; null when not collected. */
  account: AccountConcurrency | null;
  /** Σ reserved concurrency of the other functions in the account/region. */
  reservedByOthers: number;
  /** The lookback (whole hours, 14 days). */
  window: TimeWindow;
  /** Every hour of the window, oldest first (zeros/nulls where nothing was published). */
  hours: PeriodSample[];
  /** Every minute of the most recent days kept at minute resolution, oldest first. */
  minutes: PeriodSample[];
  /** Per alias/version with provisioned concurrency: its hours over the window. */
  pc: { qualifier: string; hours: PcPeriodSample[] }[];
  /** REPORT-line stats of the window (per hour × version × memory size). */
  reportStats: ReportStats[];
  latencySlos: LatencySloInput[];
  settings: SizingSettings;
}

// ─── The duration model (duration-model.ts) ───────────────────────────────────────────

/**
 * Mean duration as a function of memory and architecture:
 *   D(m, a) = io + cpu × archFactor(a) / min(vcpus(m), parallelism)
 * with vcpus(m) = m / 1769 (Lambda gives one vCPU at 1,769 MB, up to 6). `cpuMs` and `ioMs`
 * are Ranges: fitted from the function's own history when it ran at two or more memory
 * sizes, else bounded by "all I/O" and "all CPU" around a prior.
 */
export interface DurationModel {
  basis: "fitted" | "prior";
  /** CPU time at one full vCPU on the reference architecture (ms). */
  cpuMs: Range;
  /** Time that does not scale with CPU: waiting on I/O (ms). */
  ioMs: Range;
  /** vCPUs the handler can use (1 unless the runtime/handler is known to be multi-threaded). */
  parallelism: number;
  /** The architecture cpuMs was measured on. */
  architecture: Architecture;
  /** The memory size(s) it was measured at, with invocations and mean duration. */
  observations: { memoryMb: number; invocations: number; meanDurationMs: number }[];
  /** p99 / mean of warm duration at the reference (shape kept when scaling). */
  p99ToMean: number;
  /** p50 / mean of warm duration at the reference. */
  p50ToMean: number;
  evidence: string[];
}

/** MB per vCPU (Lambda allocates CPU in proportion to memory; one full vCPU at 1,769 MB). */
export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

// ─── What-if (whatif-replay.ts) ────────────────────────────────────────────────────────

/** A candidate configuration; absent fields keep the current setting. */
export interface WhatIfCandidate {
  memoryMb?: number;
  architecture?: Architecture;
  /** Provisioned concurrency on the function's PC qualifier (or its first alias). */
  pc?: PcPlan;
  /** null = no reserved concurrency. */
  reservedConcurrency?: number | null;
}

/** One side of the comparison over the replayed window. */
export interface WhatIfTotals {
  invocations: number;
  costUsd: number;
  coldStarts: number;
  p50Ms: number | null;
  p99Ms: number | null;
  throttles: number;
  spillover: number;
  /** Per latency or availability SLO on the function: burn rate over the window (1 = on budget). */
  sloBurn: { sloId: string; name: string; burnRate: number | null }[];
}

export interface WhatIfResult {
  functionName: string;
  window: TimeWindow;
  current: { memoryMb: number; architecture: Architecture; pc: PcPlan; reservedConcurrency: number | null };
  candidate: { memoryMb: number; architecture: Architecture; pc: PcPlan; reservedConcurrency: number | null };
  /** What happened (from the recorded series). */
  actual: WhatIfTotals;
  /** The replay under the candidate: expected, with a range on cost and latency. */
  projected: WhatIfTotals & { costUsdRange: Range; p99MsRange: Range | null };
  /** Per hour, for the chart: actual vs projected. */
  hours: { startMs: number; actualCostUsd: number; projectedCostUsd: number; actualColdStarts: number; projectedColdStarts: number; actualConcurrencyMax: number; projectedConcurrencyMax: number; provisioned: number; throttles: number; projectedThrottles: number }[];
  assumptions: string[];
  confidence: Confidence;
}

/** What the what-if replays (the what-if use case gathers it from the table). */
export interface WhatIfInput {
  fn: FunctionConfig;
  model: DurationModel;
  /** The replayed window (whole minutes or hours). */
  window: TimeWindow;
  /** The window's periods (minutes where kept, else hours), oldest first. */
  periods: PeriodSample[];
  /** Period length of `periods` (60,000 or 3,600,000). */
  periodMs: number;
  /** Provisioned-concurrency periods per qualifier (same periods). */
  pc: { qualifier: string; periods: PcPeriodSample[] }[];
  /** REPORT-line stats over the window: cold starts and init durations per hour. */
  reportStats: ReportStats[];
  /** SLOs on the function: availability counts throttles as bad; latency uses the threshold. */
  slos: { sloId: string; name: string; kind: "availability" | "latency"; objective: number; thresholdMs: number | null }[];
  candidate: WhatIfCandidate;
  settings: SizingSettings;
}

// ─── Apply and audit ─────────────────────────────────────────────────────────────────

/** One append-only audit entry: an apply or a rollback, whether it worked or not. */
export interface TuningAuditEntry {
  /** Time-sortable unique id: `<atMs, 13 digits>-<random hex>`. */
  id: string;
  atMs: number;
  /** Who: the session's username or the API token's name. */
  actor: string;
  role: string;
  accountId: string;
  region: string;
  functionName: string;
  action: "apply" | "rollback";
  /** The recommendation applied (apply), null for a rollback or a change made without one. */
  recommendationId: string | null;
  /** The entry a rollback undoes, else null. */
  rollbackOf: string | null;
  /** The setting before and after, as the Lambda API reported/was asked for. */
  before: TuningChange;
  after: TuningChange;
  result: "succeeded" | "failed";
  /** The Lambda API error (code: message) when it failed. */
  error: string | null;
  /** The Lambda operation called, e.g. `UpdateFunctionConfiguration`. */
  operation: string;
}
