import { allocateDay, lambdaUsageKind } from "@/lib/domain/cost/allocation";
import { poolsFor } from "@/lib/domain/cost/cost-settings";
import { LAMBDA_RESOURCE_GROUPING, LAMBDA_SERVICE, SERVICE_USAGE_GROUPING, tagGrouping } from "@/lib/domain/cost/cost-groupings";
import type { CostLine } from "@/lib/domain/cost/cost-line";
import type { AllocatedDay, AllocationDayInput, CostGroupBy, CostPool, FunctionLine, IdleCapacity } from "@/lib/domain/cost/cost-types";
import { idleCapacityOf, meanUtilisationRatio } from "@/lib/domain/cost/idle-capacity";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { resolvePcMemoryMb } from "@/lib/domain/cost/function-usage-cost";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { DAY_MS, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { CostLineStore } from "@/lib/ports/cost-store";
import type { FunctionStore, MetricSeriesStore } from "@/lib/ports/stores";

/**
 * Reads what cost allocation needs from the table — Cost Explorer lines per grouping, the
 * inventory's tags, provisioned-concurrency utilisation — and builds the per-day allocation
 * inputs. Shared by the cost view (lib/queries) and budget evaluation (the costs collector),
 * so both allocate the same way.
 */

export interface CostInputDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  costLines: Pick<CostLineStore, "readLines">;
  series: Pick<MetricSeriesStore, "readSeries">;
}

/** Which money a view allocates: the bill (UnblendedCost) or the effective cost (NetAmortizedCost). */
export type CostMetricChoice = "billed" | "effective";

/** Every stored line of one UTC day, by grouping. */
export interface CostDayLines {
  dayMs: number;
  estimated: boolean;
  service: CostLine[];
  /** Per tag key. */
  tagged: Map<string, CostLine[]>;
  /** null when the day has no per-function lines (beyond Cost Explorer's 14-day reach). */
  resource: CostLine[] | null;
}

export interface CostLinesRead {
  /** Days in the window that have service lines, oldest first. */
  days: CostDayLines[];
  /** The account's functions by ARN (Cost Explorer's RESOURCE_ID). */
  functionsByArn: Map<string, FunctionConfig>;
  /** PC utilisation per function name per day (0..1), where PC is configured and measured. */
  utilisation: Map<string, Map<number, number>>;
  /** Invocations per function name per day (CloudWatch Invocations, hourly Sum). */
  invocations: Map<string, Map<number, number>>;
  /** Invocations served by provisioned concurrency per function name per day. */
  provisionedInvocations: Map<string, Map<number, number>>;
}

/** Reads in flight per fan-out over the functions. */
const READ_CONCURRENCY = 16;

function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

function byDay(lines: readonly CostLine[]): Map<number, CostLine[]> {
  const map = new Map<number, CostLine[]>();
  for (const line of lines) {
    const day = dayOf(line.periodStartMs);
    const list = map.get(day);
    if (list) list.push(line);
    else map.set(day, [line]);
  }
  return map;
}

/** Reads the lines of every grouping for the window's days, the inventory and PC utilisation. */
export async function readCostLines(
  deps: CostInputDeps,
  request: { accountId: string; window: TimeWindow; tagKeys: readonly string[] },
): Promise<CostLinesRead> {
  const { accountId, window } = request;
  const read = (groupingId: string) => deps.costLines.readLines({ accountId, groupingId, granularity: "DAILY", window });
  const [service, resource, tagged, inventory] = await Promise.all([
    read(SERVICE_USAGE_GROUPING.id),
    read(LAMBDA_RESOURCE_GROUPING.id),
    Promise.all(request.tagKeys.map(async (key) => [key, byDay(await read(tagGrouping(key).id))] as const)),
    deps.functions.listFunctions(),
  ]);
  const functionsByArn = new Map(inventory.filter((f) => f.accountId === accountId).map((f) => [f.functionArn, f]));
  const serviceByDay = byDay(service);
  const resourceByDay = byDay(resource);
  const days: CostDayLines[] = [...serviceByDay.keys()]
    .sort((a, b) => a - b)
    .map((dayMs) => {
      const lines = serviceByDay.get(dayMs)!;
      return {
        dayMs,
        estimated: lines.some((l) => l.estimated),
        service: lines,
        tagged: new Map(tagged.map(([key, map]) => [key, map.get(dayMs) ?? []])),
        resource: resourceByDay.get(dayMs) ?? null,
      };
    });
  const accountFunctions = [...functionsByArn.values()];
  const [pc, invocations] = await Promise.all([readPcUtilisation(deps, accountFunctions, window), readInvocations(deps, accountFunctions, window)]);
  return { days, functionsByArn, utilisation: pc.utilisation, provisionedInvocations: pc.provisionedInvocations, invocations };
}

/** Σ of points per UTC day. */
function sumPerDay(points: readonly { timestampMs: number; value: number }[]): Map<number, number> {
  const days = new Map<number, number>();
  for (const p of points) days.set(dayOf(p.timestampMs), (days.get(dayOf(p.timestampMs)) ?? 0) + p.value);
  return days;
}

async function readInvocations(deps: Pick<CostInputDeps, "series">, functions: readonly FunctionConfig[], window: TimeWindow): Promise<Map<string, Map<number, number>>> {
  const key = FUNCTION_METRIC_KEYS.filter((k) => k.metric === "Invocations");
  // One Query per function: a bounded number in flight, so a 1,000-function fleet queues in
  // here rather than in the HTTP client's socket pool.
  const entries = await mapWithConcurrency(functions, READ_CONCURRENCY, async (fn) => {
    const series = await deps.series.readSeries(fn, { kind: "function", functionName: fn.functionName }, key, window, "hour");
    return [fn.functionName, sumPerDay(series["Invocations:Sum"] ?? [])] as const;
  });
  return new Map(entries);
}

/**
 * Mean PC utilisation per function and day, from the stored hourly ProvisionedConcurrencyUtilization
 * (Maximum) of each PC qualifier, weighted by what each qualifier keeps allocated (executions ×
 * memory). Hourly maxima make it an upper bound, so the idle amount derived from it is a lower bound.
 */
async function readPcUtilisation(
  deps: Pick<CostInputDeps, "series">,
  functions: readonly FunctionConfig[],
  window: TimeWindow,
): Promise<{ utilisation: Map<string, Map<number, number>>; provisionedInvocations: Map<string, Map<number, number>> }> {
  const result = new Map<string, Map<number, number>>();
  const provisionedInvocations = new Map<string, Map<number, number>>();
  const keys = ALIAS_METRIC_KEYS.filter((k) => k.metric === "ProvisionedConcurrencyUtilization" || k.metric === "ProvisionedConcurrencyInvocations");
  await Promise.all(
    functions
      .filter((fn) => fn.provisionedConcurrency.some((pc) => pc.allocated > 0))
      .map(async (fn) => {
        const perQualifier = await Promise.all(
          fn.provisionedConcurrency
            .filter((pc) => pc.allocated > 0)
            .map(async (pc) => {
              const series = await deps.series.readSeries(fn, { kind: "alias", functionName: fn.functionName, qualifier: pc.qualifier }, keys, window, "hour");
              return {
                weight: pc.allocated * resolvePcMemoryMb(fn, pc.qualifier),
                points: series["ProvisionedConcurrencyUtilization:Maximum"] ?? [],
                served: series["ProvisionedConcurrencyInvocations:Sum"] ?? [],
              };
            }),
        );
        const served = new Map<number, number>();
        for (const q of perQualifier) for (const [day, n] of sumPerDay(q.served)) served.set(day, (served.get(day) ?? 0) + n);
        provisionedInvocations.set(fn.functionName, served);
        const days = new Map<number, number>();
        for (let day = dayOf(window.fromMs); day < window.toMs; day += DAY_MS) {
          let weighted = 0;
          let weights = 0;
          for (const q of perQualifier) {
            const ratio = meanUtilisationRatio(q.points, { fromMs: day, toMs: day + DAY_MS }, HOUR_MS);
            if (ratio === null) continue;
            weighted += ratio * q.weight;
            weights += q.weight;
          }
          if (weights > 0) days.set(day, weighted / weights);
        }
        result.set(fn.functionName, days);
      }),
  );
  return { utilisation: result, provisionedInvocations };
}

function money(line: CostLine, metric: CostMetricChoice): number {
  return metric === "billed" ? line.unblendedCostMicroUsd : line.netAmortizedCostMicroUsd;
}

/** The function a RESOURCE_ID names: the inventory's, else the name from the ARN. */
function functionNameOf(resourceId: string, functionsByArn: ReadonlyMap<string, FunctionConfig>): string {
  return functionsByArn.get(resourceId)?.functionName ?? resourceId.split(":function:")[1]?.split(":")[0] ?? resourceId;
}

/** One day's allocation input for a grouping and a metric. */
export function allocationInput(day: CostDayLines, read: Pick<CostLinesRead, "functionsByArn" | "utilisation">, groupBy: CostGroupBy, metric: CostMetricChoice): AllocationDayInput {
  const functions: FunctionLine[] | null =
    day.resource?.map((line) => {
      const resourceId = line.resourceId ?? "";
      return {
        functionName: functionNameOf(resourceId, read.functionsByArn),
        resourceId,
        usageType: line.usageType ?? "",
        microUsd: money(line, metric),
        usageQuantity: line.usageQuantity,
        usageUnit: line.usageUnit,
        tags: read.functionsByArn.get(resourceId)?.tags ?? {},
      };
    }) ?? null;
  const idle: IdleCapacity[] = [];
  if (functions !== null) {
    const provisioned = new Map<string, { microUsd: number; tags: Record<string, string> }>();
    for (const line of functions) {
      if (lambdaUsageKind(line.usageType, line.usageUnit) !== "provisioned-concurrency") continue;
      const entry = provisioned.get(line.functionName) ?? { microUsd: 0, tags: line.tags };
      entry.microUsd += line.microUsd;
      provisioned.set(line.functionName, entry);
    }
    for (const [functionName, { microUsd, tags }] of provisioned) {
      const utilisationRatio = read.utilisation.get(functionName)?.get(day.dayMs);
      if (utilisationRatio === undefined || microUsd <= 0) continue;
      idle.push(idleCapacityOf({ functionName, tags, provisionedMicroUsd: microUsd, utilisationRatio }));
    }
  }
  return {
    dayMs: day.dayMs,
    estimated: day.estimated,
    bill: day.service.map((line) => ({
      service: line.service ?? "",
      usageType: line.usageType ?? "",
      microUsd: money(line, metric),
      usageQuantity: line.usageQuantity,
      usageUnit: line.usageUnit,
    })),
    tagged:
      groupBy.kind === "tag"
        ? (day.tagged.get(groupBy.key) ?? []).map((line) => ({ service: line.service ?? "", tagValue: line.tagValue ?? "", microUsd: money(line, metric) }))
        : [],
    functions,
    idle,
  };
}

/** Allocates every day read. */
export function allocateDays(read: CostLinesRead, groupBy: CostGroupBy, pools: readonly CostPool[], metric: CostMetricChoice = "billed"): AllocatedDay[] {
  const applicable = poolsFor(pools, groupBy.kind === "tag" ? groupBy.key : null);
  return read.days.map((day) => allocateDay(allocationInput(day, read, groupBy, metric), groupBy, applicable));
}

/** Σ AWS Lambda (service lines) per day, µUSD. */
export function lambdaBilledByDay(read: CostLinesRead): Map<number, number> {
  return new Map(read.days.map((d) => [d.dayMs, d.service.filter((l) => l.service === LAMBDA_SERVICE).reduce((s, l) => s + l.unblendedCostMicroUsd, 0)]));
}
