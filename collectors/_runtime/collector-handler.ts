import { resolveSecretEnv } from "@/lib/adapters/aws/secret-env";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { describeError } from "@/lib/use-cases/describe-error";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import { collectorLagMinutes } from "@/lib/domain/collection/collector-lag";
import { createCollectorTelemetry, publishInvocationMetrics, summarizeInvocation, traceInvocation, type CollectorTelemetry } from "@/collectors/_runtime/lambda-telemetry";
import { runCollectorEverywhere } from "@/collectors/_runtime/run-collector";
import { resolveRunTime } from "@/collectors/_runtime/scheduled-event";
import { powertoolsLog, type CollectorLog } from "@/collectors/_runtime/log";

/** Thrown at the end of an invocation in which some account/region failed, so Lambda counts an error. */
export class CollectorRunsFailedError extends Error {
  override readonly name = "CollectorRunsFailedError";
}

/** The variables a collector takes from its Secrets Manager secret (SIGHTLINE_SECRET_IDS): the webhook URLs. */
export const COLLECTOR_SECRET_VARIABLES = ["SLO_WEBHOOKS"] as const;

/** What the handler is built from; tests replace the runtime, the secrets step, the telemetry and the clock. */
export interface CollectorHandlerDeps {
  /** Builds the runtime once per execution environment (default: from process.env). */
  createRuntime?: (log: CollectorLog) => CollectorRuntime;
  /** Fills process.env from the secrets before the runtime reads it (default: resolveSecretEnv). */
  resolveSecrets?: (env: Record<string, string | undefined>) => Promise<string[]>;
  telemetry?: CollectorTelemetry;
  /** The wall clock (ms): the run time when the event carries none, and "now" for the lag. */
  clock?: () => number;
}

/**
 * The Lambda entry point of a collector (EventBridge Scheduler): secrets and runtime prepared
 * once per execution environment, every account/region run, the invocation's metrics published
 * (also when it fails), and a failed invocation when any run failed (after all ran) so the error
 * alarm and the failed-invocation queue see it. The local scheduler runs the definitions
 * directly and never comes through here.
 */
export function collectorHandler(definition: CollectorDefinition, deps: CollectorHandlerDeps = {}) {
  const log = powertoolsLog(definition.name);
  const clock = deps.clock ?? Date.now;
  const resolveSecrets = deps.resolveSecrets ?? ((env) => resolveSecretEnv(env, { allowed: COLLECTOR_SECRET_VARIABLES }));
  const createRuntime = deps.createRuntime ?? ((runtimeLog: CollectorLog) => createCollectorRuntime({ log: runtimeLog }));
  let telemetry = deps.telemetry;
  let prepared: Promise<CollectorRuntime> | undefined;

  const prepare = async (): Promise<CollectorRuntime> => {
    const filled = await resolveSecrets(process.env);
    if (filled.length > 0) log.info("environment filled from secrets", { variables: filled });
    return createRuntime(log);
  };

  /** Lag per run from its watermark as stored now; unknown when the table cannot say. */
  const lagOf = (runtime: CollectorRuntime, run: CollectorRun): Promise<number | null> =>
    runtime.watermarks.get(definition.name, run.accountId, run.region).then(
      (watermark) => collectorLagMinutes(definition.name, watermark, clock(), runtime.config.SETTLE_MINUTES, cadenceSettingsOf(runtime.config)),
      () => null,
    );

  return async (event: unknown, context?: Parameters<typeof log.logger.addContext>[0]): Promise<CollectorRun[]> => {
    if (context) log.logger.addContext(context);
    telemetry ??= createCollectorTelemetry(definition.name);
    const { metrics, tracer } = telemetry;
    return traceInvocation(tracer, definition.name, async () => {
      let runtime: CollectorRuntime;
      let runs: CollectorRun[];
      try {
        const nowMs = resolveRunTime(event, clock());
        // A failed preparation is retried by the next invocation rather than cached.
        prepared ??= prepare().catch((error: unknown) => {
          prepared = undefined;
          throw error;
        });
        runtime = await prepared;
        runs = await runCollectorEverywhere(runtime, definition, { nowMs });
      } catch (error) {
        log.error(`${definition.name} invocation failed: ${describeError(error)}`);
        publishInvocationMetrics(metrics, summarizeInvocation([], [], true));
        throw error;
      }
      const lags = await Promise.all(runs.map((run) => lagOf(runtime, run)));
      publishInvocationMetrics(metrics, summarizeInvocation(runs, lags));
      const failed = runs.filter((r) => r.outcome === "failed");
      if (failed.length > 0) {
        throw new CollectorRunsFailedError(failed.map((r) => `${r.accountId}/${r.region}: ${r.error}`).join("; "));
      }
      return runs;
    });
  };
}
