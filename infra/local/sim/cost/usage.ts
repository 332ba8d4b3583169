import { logBytesPerInvocation } from "../model/log-volume";
import type { FunctionSpec } from "../model/fleet";
import { sampledCount } from "../model/invocation-ids";
import type { MinuteSeries, SimModel } from "../model/minute-stats";
import {
  NO_RESOURCE_ID,
  apiStageArn,
  dynamodbTableArn,
  eventBusArn,
  logGroupArn,
  snsTopicArn,
  sqsQueueArn,
} from "./resource-ids";
import type { Architecture, UsageKind } from "./usage-types";

/**
 * Billable usage of one function, derived from the model's minute series and summed per hour.
 * Nothing is enumerated per invocation: the billed duration of N lognormal invocations is
 * N × (mean + 0.5 ms), the mean of a per-millisecond ceiling of a continuous duration.
 *
 * - Lambda requests: served invocations (throttled requests are not billed).
 * - On-demand duration (GB-s): invocations not served by provisioned concurrency, each billed
 *   for its duration plus, on a cold start, its INIT phase (billed for on-demand functions
 *   since 2025-08-01, FACTS.md §2), rounded up to 1 ms once per invocation.
 * - Provisioned concurrency: allocated GB-s for every billed provisioned execution, used or not
 *   (60 s per minute); duration on provisioned concurrency for the invocations it served.
 * - Other services from the call graph, carrying the tags of the function that causes them.
 */

/** Billing GB for data (2^30 bytes). */
export const BYTES_PER_GB = 1024 ** 3;
/** An SQS message costs a SendMessage, a ReceiveMessage and a DeleteMessage request. */
export const SQS_REQUESTS_PER_MESSAGE = 3;
/** Mean of ceil(x) − x for a continuous duration billed per 1 ms. */
export const CEILING_MS = 0.5;

/** One billing line of one function: a kind of usage on one resource, per hour. */
export interface UsageLine {
  kind: UsageKind;
  architecture: Architecture;
  resourceId: string;
  /** Quantity in the usage type's unit per hour; index 0 = the hour starting at the range's first minute. */
  quantityByHour: Float64Array;
}

const ARCHITECTURE_BY_CODE: readonly Architecture[] = ["x86_64", "arm64"];

/** Per-architecture hour accumulators of one kind (allocated on first use). */
class ByArchitecture {
  readonly columns: (Float64Array | undefined)[] = [undefined, undefined];

  constructor(private readonly hours: number) {}

  at(architecture: number): Float64Array {
    let column = this.columns[architecture];
    if (column === undefined) {
      column = new Float64Array(this.hours);
      this.columns[architecture] = column;
    }
    return column;
  }
}

/**
 * Usage of `series.fn` over the series' minutes, per hour (the series must start on an hour).
 * Minutes before `fleet.historyStartMinute` bill nothing: the function did not exist yet.
 */
export function computeFunctionUsage(model: SimModel, series: MinuteSeries): UsageLine[] {
  const { fn } = series;
  const accountId = model.fleet.accountId;
  const hours = Math.ceil(series.length / 60);
  const requests = new ByArchitecture(hours);
  const onDemandGbSeconds = new ByArchitecture(hours);
  const provisionedAllocatedGbSeconds = new ByArchitecture(hours);
  const provisionedGbSeconds = new ByArchitecture(hours);
  const apiRequests = fn.trigger.type === "api" ? new Float64Array(hours) : undefined;
  const callCounts = fn.calls.map(() => new Float64Array(hours));
  const invocationsByHour = new Float64Array(hours);
  const tracesByHour = new Float64Array(hours);
  const initVarianceHalf = (fn.initSigma * fn.initSigma) / 2;
  const firstIndex = Math.max(0, model.fleet.historyStartMinute - series.fromMinute);

  for (let i = firstIndex; i < series.length; i++) {
    const demand = series.demand[i]!;
    const provisionedBilled = series.provisionedBilled[i]!;
    if (demand === 0 && provisionedBilled === 0) continue;
    const hour = (i / 60) | 0;
    const architecture = series.architecture[i]!;
    const memoryGb = series.memoryMb[i]! / 1024;
    if (provisionedBilled > 0) provisionedAllocatedGbSeconds.at(architecture)[hour]! += provisionedBilled * memoryGb * 60;
    if (apiRequests !== undefined) apiRequests[hour]! += demand;
    const invocations = series.invocations[i]!;
    if (invocations === 0) continue;
    requests.at(architecture)[hour]! += invocations;
    invocationsByHour[hour]! += invocations;
    const provisionedInvocations = series.provisionedInvocations[i]!;
    const billedMs = series.durationAverageMs[i]! + CEILING_MS;
    const meanInitMs = Math.exp(series.initLogMedian[i]! + initVarianceHalf);
    const onDemandMs = (invocations - provisionedInvocations) * billedMs + series.coldStarts[i]! * meanInitMs;
    onDemandGbSeconds.at(architecture)[hour]! += (onDemandMs / 1000) * memoryGb;
    if (provisionedInvocations > 0) provisionedGbSeconds.at(architecture)[hour]! += ((provisionedInvocations * billedMs) / 1000) * memoryGb;
    tracesByHour[hour]! += sampledCount(model, fn, series.fromMinute + i, invocations);
    for (let c = 0; c < fn.calls.length; c++) callCounts[c]![hour]! += invocations * fn.calls[c]!.perInvocation;
  }

  const lines: UsageLine[] = [];
  const add = (kind: UsageKind, architecture: Architecture, resourceId: string, quantityByHour: Float64Array) => {
    if (quantityByHour.some((quantity) => quantity > 0)) lines.push({ kind, architecture, resourceId, quantityByHour });
  };
  const perArchitecture = (kind: UsageKind, accumulator: ByArchitecture) => {
    accumulator.columns.forEach((column, code) => {
      if (column !== undefined) add(kind, ARCHITECTURE_BY_CODE[code]!, fn.arn, column);
    });
  };
  perArchitecture("lambda-request", requests);
  perArchitecture("lambda-duration", onDemandGbSeconds);
  perArchitecture("lambda-provisioned-concurrency", provisionedAllocatedGbSeconds);
  perArchitecture("lambda-provisioned-duration", provisionedGbSeconds);
  if (apiRequests !== undefined) add("apigateway-request", "x86_64", apiStageArn(fn, fn.api ?? { name: fn.name, stage: "prod" }), apiRequests);
  fn.calls.forEach((call, c) => {
    const counts = roundEach(callCounts[c]!);
    switch (call.service) {
      case "dynamodb": {
        // A call without an operation is a read (the common case: one GetItem/Query per call).
        const kind = call.operation === "write" ? "dynamodb-write" : "dynamodb-read";
        add(kind, "x86_64", dynamodbTableArn(fn, accountId, call.resource), counts);
        break;
      }
      case "eventbridge":
        add("eventbridge-event", "x86_64", eventBusArn(fn, accountId, call.resource), counts);
        break;
      case "sqs":
        add("sqs-request", "x86_64", sqsQueueArn(fn, accountId, call.resource), counts.map((messages) => messages * SQS_REQUESTS_PER_MESSAGE));
        break;
      case "sns":
        add("sns-request", "x86_64", snsTopicArn(fn, accountId, call.resource), counts);
        break;
      // Invoking another function bills that function's requests; plain HTTP bills nothing here.
      case "lambda":
      case "http":
        break;
    }
  });
  add("logs-ingestion", "x86_64", logGroupArn(fn, accountId), invocationsByHour.map((n) => (n * logBytesPerInvocation(fn)) / BYTES_PER_GB));
  add("xray-trace", "x86_64", NO_RESOURCE_ID, tracesByHour);
  return lines;
}

/** Whole requests per hour: fractional calls per invocation are expectations, bills count requests. */
function roundEach(values: Float64Array): Float64Array {
  return values.map((value) => Math.round(value));
}

/** The functions whose usage can be computed together: each `follows` tree, roots first. */
export function followTrees(functions: readonly FunctionSpec[], byName: ReadonlyMap<string, FunctionSpec>): FunctionSpec[][] {
  const rootOf = (fn: FunctionSpec): string => {
    let current = fn;
    const seen = new Set<string>();
    while (current.traffic.kind === "follows" && !seen.has(current.name)) {
      seen.add(current.name);
      const upstream = byName.get(current.traffic.upstream);
      if (upstream === undefined) break;
      current = upstream;
    }
    return current.name;
  };
  const trees = new Map<string, FunctionSpec[]>();
  for (const fn of functions) {
    const root = rootOf(fn);
    const tree = trees.get(root);
    if (tree === undefined) trees.set(root, [fn]);
    else tree.push(fn);
  }
  return [...trees.values()];
}
