import { AsyncLocalStorage } from "node:async_hooks";
import type { ApiUsage } from "@/lib/domain/collection/api-usage";

/** Collects the API usage of everything awaited inside one `meterApiUsage` call. */
export class ApiUsageRecorder {
  readonly usage: ApiUsage = {};

  private entry(operation: string) {
    return (this.usage[operation] ??= { requests: 0, units: 0 });
  }
  request(operation: string): void {
    this.entry(operation).requests += 1;
  }
  units(operation: string, units: number): void {
    if (units > 0) this.entry(operation).units += units;
  }
}

const current = new AsyncLocalStorage<ApiUsageRecorder>();

/**
 * Runs `work` with a recorder that every metered AWS client reports to. The recorder follows
 * the async context, so concurrent runs (other collectors, other accounts) never mix counts.
 */
export function meterApiUsage<T>(recorder: ApiUsageRecorder, work: () => Promise<T>): Promise<T> {
  return current.run(recorder, work);
}

type Output = Record<string, unknown> & { status?: unknown; statistics?: { bytesScanned?: unknown } };

/** The billable units (API_PRICES) in one successful response. */
function billableUnits(operation: string, input: Record<string, unknown>, output: Output): number {
  switch (operation) {
    case "CloudWatch.GetMetricData":
      return Array.isArray(input.MetricDataQueries) ? input.MetricDataQueries.length : 0;
    case "CloudWatch.GetMetricStatistics":
    case "CloudWatch.ListMetrics":
    case "CostExplorer.GetCostAndUsage":
    case "CostExplorer.GetCostAndUsageWithResources":
    case "CostExplorer.GetDimensionValues":
    case "CostExplorer.GetTags":
      return 1;
    case "CloudWatchLogs.GetQueryResults":
      // Statistics are cumulative while the query runs: count them once, when it completes.
      return output.status === "Complete" && typeof output.statistics?.bytesScanned === "number" ? output.statistics.bytesScanned : 0;
    case "XRay.GetTraceSummaries":
      return typeof output.TracesProcessedCount === "number" ? output.TracesProcessedCount : 0;
    case "XRay.BatchGetTraces":
      return Array.isArray(output.Traces) ? output.Traces.length : 0;
    default:
      return 0;
  }
}

/** The one method of an SDK client's middleware stack used here (typed loosely: every client has it). */
interface LooseMiddlewareStack {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}

/**
 * Adds two middlewares to an SDK v3 client: one inside the retry loop that counts every HTTP
 * request sent (so throttled retries show), one around the whole call that counts the billable
 * units of a successful response. `service` names the API in the ledger (e.g. "CloudWatch").
 */
export function installApiMeter<C extends { middlewareStack: object }>(client: C, service: string): C {
  const stack = client.middlewareStack as LooseMiddlewareStack;
  const operationOf = (context: { commandName?: string }) => `${service}.${(context.commandName ?? "Unknown").replace(/Command$/, "")}`;
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      current.getStore()?.request(operationOf(context));
      return next(args);
    },
    { step: "deserialize", name: "sightlineApiRequestMeter", priority: "high" },
  );
  stack.add(
    (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Output }>, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const result = await next(args);
        const operation = operationOf(context);
        current.getStore()?.units(operation, billableUnits(operation, args.input, result.output));
        return result;
      },
    { step: "initialize", name: "sightlineApiUnitMeter", priority: "low" },
  );
  return client;
}
