import { z } from "zod";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { DAY_MS, HOUR_MS, MINUTE_MS, floorToHourMs, floorToMinuteMs } from "@/lib/domain/shared/time";
import { fitDurationModel } from "@/lib/domain/sizing/duration-model";
import { toPcPeriodSamples, toPeriodSamples } from "@/lib/domain/sizing/period-samples";
import { DEFAULT_SIZING_SETTINGS, MAX_MEMORY_MB, MIN_MEMORY_MB, type WhatIfCandidate, type WhatIfInput, type WhatIfResult } from "@/lib/domain/sizing/tuning-types";
import { parsePcSchedule, replayWhatIf } from "@/lib/domain/sizing/whatif-replay";
import type { AnalysisStore } from "@/lib/ports/analysis-store";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { SloStore } from "@/lib/ports/slo-store";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import { lookupFunction, type FunctionLookup } from "@/lib/queries/function-lookup";
import { functionsOfSlo } from "@/lib/use-cases/read-sli";

/**
 * What-if (issue 7): replay a function's recorded traffic over a window against a candidate
 * configuration — memory, architecture, provisioned concurrency (fixed, schedule or target
 * tracking), reserved concurrency — and compare with what happened. Reads only the table.
 * The same request shape serves `POST /api/v1/whatif` and `sightline whatif`.
 */

/** Replays up to this long use per-minute series (kept METRICS_MINUTE_DAYS, 3 by default); longer ones use hours. */
export const MINUTE_REPLAY_MAX_HOURS = 72;
/** The longest replay: the analysis lookback. */
export const MAX_REPLAY_HOURS = 14 * 24;

export const WhatIfRequestSchema = z.strictObject({
  functionName: FunctionNameSchema,
  accountId: AccountIdSchema.optional(),
  region: RegionSchema.optional(),
  hours: z
    .number({ error: "must be a number of hours" })
    .int("must be a whole number of hours")
    .min(1, "must be at least 1")
    .max(MAX_REPLAY_HOURS, `must be at most ${MAX_REPLAY_HOURS} (14 days)`)
    .default(24),
  memoryMb: z
    .number({ error: "must be a number of MB" })
    .int("must be a whole number of MB")
    .min(MIN_MEMORY_MB, `must be at least ${MIN_MEMORY_MB} MB`)
    .max(MAX_MEMORY_MB, `must be at most ${MAX_MEMORY_MB} MB`)
    .optional(),
  architecture: z.enum(["x86_64", "arm64"], { error: "must be x86_64 or arm64" }).optional(),
  /** "none", "20", "09:00-18:00=20,base=2", or "target=0.7,min=2,max=40". */
  pc: z.string().max(500, "must be at most 500 characters").optional(),
  reservedConcurrency: z.number({ error: "must be a number or null" }).int("must be a whole number").min(0, "must be at least 0").max(100_000).nullable().optional(),
});
export type WhatIfRequest = z.input<typeof WhatIfRequestSchema>;

export type ParsedWhatIfRequest =
  | { ok: true; request: z.output<typeof WhatIfRequestSchema>; candidate: WhatIfCandidate }
  | { ok: false; errors: { path: string; message: string }[] };

/** Validates a request (JSON body or CLI flags); every problem names its field. */
export function parseWhatIfRequest(body: unknown): ParsedWhatIfRequest {
  const parsed = WhatIfRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "body", message: i.message })) };
  const request = parsed.data;
  const candidate: WhatIfCandidate = {};
  if (request.memoryMb !== undefined) candidate.memoryMb = request.memoryMb;
  if (request.architecture !== undefined) candidate.architecture = request.architecture;
  if (request.reservedConcurrency !== undefined) candidate.reservedConcurrency = request.reservedConcurrency;
  if (request.pc !== undefined) {
    try {
      candidate.pc = parsePcSchedule(request.pc);
    } catch (error) {
      return { ok: false, errors: [{ path: "pc", message: error instanceof Error ? error.message : String(error) }] };
    }
  }
  return { ok: true, request, candidate };
}

export interface WhatIfDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  series: MetricSeriesStore;
  reportStats: Pick<ReportStatsStore, "readStats">;
  analysis: Pick<AnalysisStore, "list">;
  slos: Pick<SloStore, "list">;
  watermarks: Pick<WatermarkStore, "get">;
}

export type WhatIfOutcome = { kind: "replayed"; result: WhatIfResult } | { kind: "no-data"; reason: string } | Exclude<FunctionLookup, { kind: "found" }>;

export async function runWhatIf(deps: WhatIfDeps, parsed: Extract<ParsedWhatIfRequest, { ok: true }>, nowMs: number): Promise<WhatIfOutcome> {
  const { request, candidate } = parsed;
  const lookup = await lookupFunction(deps.functions, { functionName: request.functionName, accountId: request.accountId, region: request.region });
  if (lookup.kind !== "found") return lookup;
  const { fn } = lookup;
  // The window ends where the metrics end, so the newest minutes are not counted as silent.
  const watermark = await deps.watermarks.get("metrics", fn.accountId, fn.region);
  const endMs = Math.min(nowMs, watermark?.throughMs ?? nowMs);
  const minutes = request.hours <= MINUTE_REPLAY_MAX_HOURS;
  const periodMs = minutes ? MINUTE_MS : HOUR_MS;
  const toMs = minutes ? floorToMinuteMs(endMs) : floorToHourMs(endMs);
  // …and starts no earlier than the collected data, so a young install is not replayed as silence.
  const sinceMs = watermark?.sinceMs == null ? null : Math.floor(watermark.sinceMs / periodMs) * periodMs;
  const window = { fromMs: Math.max(toMs - request.hours * HOUR_MS, Math.min(sinceMs ?? 0, toMs - periodMs)), toMs };
  const resolution = minutes ? "minute" : "hour";
  const target = { kind: "function" as const, functionName: fn.functionName };
  const [series, reportStats, modelStats, analyses, slos, pc] = await Promise.all([
    deps.series.readSeries(fn, target, FUNCTION_METRIC_KEYS, window, resolution),
    deps.reportStats.readStats(fn, window),
    deps.reportStats.readStats(fn, { fromMs: toMs - 14 * DAY_MS, toMs }),
    deps.analysis.list(fn.accountId, fn.region),
    deps.slos.list(),
    Promise.all(
      fn.provisionedConcurrency.map(async (config) => ({
        qualifier: config.qualifier,
        periods: toPcPeriodSamples(
          await deps.series.readSeries(fn, { kind: "alias", functionName: fn.functionName, qualifier: config.qualifier }, ALIAS_METRIC_KEYS, window, resolution),
          window,
          periodMs,
        ),
      })),
    ),
  ]);
  const periods = toPeriodSamples(series, window, periodMs);
  if (periods.every((p) => p.invocations === 0)) return { kind: "no-data", reason: `no invocations of ${fn.functionName} were collected in the ${request.hours} hours before ${new Date(toMs).toISOString()}` };
  const stored = analyses.find((a) => a.functionName === fn.functionName)?.tuning;
  const model = stored?.status === "analysed" ? stored.durationModel : fitDurationModel({ architecture: fn.architecture, memoryMb: fn.memoryMb, reportStats: modelStats, recent: periods });
  if (model === null) return { kind: "no-data", reason: `no REPORT lines of ${fn.functionName} were collected in the last 14 days: its duration model is unknown` };
  const input: WhatIfInput = {
    fn,
    model,
    window,
    periods,
    periodMs,
    pc,
    reportStats,
    slos: slos
      .filter((slo) => functionsOfSlo(slo, [fn]).length > 0)
      .map((slo) => ({
        sloId: slo.id,
        name: slo.name,
        kind: slo.indicator.kind,
        objective: slo.objective,
        thresholdMs: slo.indicator.kind === "latency" ? slo.indicator.thresholdMs : null,
      })),
    candidate,
    settings: DEFAULT_SIZING_SETTINGS,
  };
  return { kind: "replayed", result: replayWhatIf(input) };
}
