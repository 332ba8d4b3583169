import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { runCollectorEverywhere } from "@/collectors/_runtime/run-collector";
import { resolveRunTime } from "@/collectors/_runtime/scheduled-event";
import { powertoolsLog } from "@/collectors/_runtime/log";

/** Thrown at the end of an invocation in which some account/region failed, so Lambda counts an error. */
export class CollectorRunsFailedError extends Error {
  override readonly name = "CollectorRunsFailedError";
}

/**
 * The Lambda entry point of a collector (EventBridge Scheduler): runtime built once per
 * execution environment, every account/region run, and a failed invocation when any failed
 * (after all ran) so the error alarm and the dead-letter queue see it.
 */
export function collectorHandler(definition: CollectorDefinition) {
  const log = powertoolsLog(definition.name);
  let runtime: CollectorRuntime | undefined;
  return async (event: unknown, context?: Parameters<typeof log.logger.addContext>[0]): Promise<CollectorRun[]> => {
    if (context) log.logger.addContext(context);
    runtime ??= createCollectorRuntime({ log });
    const runs = await runCollectorEverywhere(runtime, definition, { nowMs: resolveRunTime(event, Date.now()) });
    const failed = runs.filter((r) => r.outcome === "failed");
    if (failed.length > 0) {
      throw new CollectorRunsFailedError(failed.map((r) => `${r.accountId}/${r.region}: ${r.error}`).join("; "));
    }
    return runs;
  };
}
