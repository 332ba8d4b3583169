import { z } from "zod";
import { DAY_MS, HOUR_MS, floorToMinuteMs, type TimeWindow } from "@/lib/domain/shared/time";

/** The preset ranges the console offers; `24h` is the default. */
export const RANGE_PRESETS = { "1h": HOUR_MS, "6h": 6 * HOUR_MS, "24h": DAY_MS, "7d": 7 * DAY_MS, "14d": 14 * DAY_MS } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_RANGE: RangePreset = "24h";
/** The longest custom range accepted: CloudWatch keeps 1-minute data for 15 days. */
const MAX_RANGE_MS = 15 * DAY_MS;

const TimeRangeParamsSchema = z
  .object({
    range: z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]]).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((p) => (p.from === undefined) === (p.to === undefined), { message: "from and to must be given together", path: ["from"] })
  .refine((p) => !(p.range && p.from), { message: "give either range or from/to, not both", path: ["range"] });

export interface ResolvedTimeRange {
  /** The preset in use, or "custom" for from/to. */
  label: RangePreset | "custom";
  window: TimeWindow;
}

export type TimeRangeResult = { ok: true; value: ResolvedTimeRange } | { ok: false; error: string };

/**
 * Resolves `range=24h` or `from=…&to=…` (ISO 8601) from URL parameters against `nowMs`.
 * Errors name the parameter and what was wrong; nothing is guessed.
 */
export function resolveTimeRange(params: Record<string, string | undefined>, nowMs: number): TimeRangeResult {
  const parsed = TimeRangeParamsSchema.safeParse({ range: params.range, from: params.from, to: params.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "range";
    return { ok: false, error: `${field}: ${issue?.message ?? "invalid"}` };
  }
  const { range, from, to } = parsed.data;
  if (from && to) {
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    if (fromMs >= toMs) return { ok: false, error: "from: must be before to" };
    if (toMs - fromMs > MAX_RANGE_MS) return { ok: false, error: "to: range must be at most 15 days" };
    return { ok: true, value: { label: "custom", window: { fromMs, toMs } } };
  }
  const label = range ?? DEFAULT_RANGE;
  const toMs = floorToMinuteMs(nowMs);
  return { ok: true, value: { label, window: { fromMs: toMs - RANGE_PRESETS[label], toMs } } };
}
