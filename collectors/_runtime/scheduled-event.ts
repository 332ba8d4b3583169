import { z } from "zod";

/**
 * What a collector is invoked with: an EventBridge Scheduler payload (`{}` or `{ "nowMs": … }`
 * for a replay) or a classic EventBridge scheduled event (`time` ISO). Anything else is
 * rejected with the field that was wrong.
 */
export const ScheduledEventSchema = z
  .object({
    nowMs: z.number().int().positive().optional(),
    time: z.iso.datetime({ offset: true }).optional(),
  })
  .loose();

export class CollectorEventError extends Error {
  override readonly name = "CollectorEventError";
}

/** The instant a run collects up to: the event's, else the wall clock. */
export function resolveRunTime(rawEvent: unknown, wallClockMs: number): number {
  const parsed = ScheduledEventSchema.safeParse(rawEvent ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectorEventError(`invalid collector event: ${issue?.path.join(".") || "(event)"}: ${issue?.message}`);
  }
  if (parsed.data.nowMs !== undefined) return parsed.data.nowMs;
  if (parsed.data.time !== undefined) return Date.parse(parsed.data.time);
  return wallClockMs;
}
