import { logBytesPerInvocation } from "../model/log-volume";
import { invokedVersionLabel, type FunctionSpec } from "../model/fleet";
import { expectedRatePerSecond, type SimModel } from "../model/minute-stats";
import { hashInts, hashString } from "../model/random";
import { MINUTES_PER_DAY, MS_PER_MINUTE } from "../model/time";
import { formatLogStreamName } from "./log-stream-names";

/**
 * The simulated account's log groups: one `/aws/lambda/<name>` group per function, in the
 * function's region, with what the log lines of that function need to know about it.
 */

export interface LogGroup {
  fn: FunctionSpec;
  name: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`). */
  arn: string;
  /** Insights' @log: `<account>:<group name>`. */
  logField: string;
  /** What START lines and stream names call the invoked version: the alias's version, else $LATEST (see invokedVersionLabel). */
  versionLabel: string;
  runtimeFamily: "node" | "python" | "java" | "other";
  /** The INIT_START line of a cold start (same runtime build all along). */
  initStartMessage: string;
  /** Stream name cache, per (day, environment slot). */
  streamNames: Map<number, string>;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>`. */
export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

/** The log group of a function. */
export function logGroupOf(model: SimModel, fn: FunctionSpec): LogGroup {
  const { accountId } = model.fleet;
  return {
    fn,
    name: fn.logGroupName,
    arn: logGroupArn(fn.region, accountId, fn.logGroupName),
    logField: `${accountId}:${fn.logGroupName}`,
    versionLabel: invokedVersionLabel(fn),
    runtimeFamily: runtimeFamily(fn.runtime),
    initStartMessage: initStartMessage(fn),
    streamNames: new Map(),
  };
}

/** Log groups of the functions in `region`, sorted by name (DescribeLogGroups' order). */
export function logGroupsIn(model: SimModel, region: string): LogGroup[] {
  return model.fleet.functions
    .filter((fn) => fn.region === region)
    .map((fn) => logGroupOf(model, fn))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The group a StartQuery identifier names: a group name, or its ARN (with or without the
 * `:*` suffix). Only groups of `region` and of this account are visible.
 */
export function resolveLogGroup(model: SimModel, region: string, identifier: string): LogGroup | undefined {
  let name = identifier;
  if (identifier.startsWith("arn:")) {
    const match = /^arn:aws[a-z-]*:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(identifier);
    if (match === null || match[1] !== region || match[2] !== model.fleet.accountId) return undefined;
    name = match[3]!;
  }
  const fn = model.fleet.functions.find((candidate) => candidate.logGroupName === name && candidate.region === region);
  return fn === undefined ? undefined : logGroupOf(model, fn);
}

/**
 * An estimate of what the group stores, from volume: the expected invocation rate over the
 * last day, times the time since history began, times the bytes an invocation writes. AWS's
 * own storedBytes is an estimate updated with a delay, so a model-level figure is enough.
 */
export function estimatedStoredBytes(model: SimModel, group: LogGroup, nowMs: number): number {
  const nowMinute = Math.floor(nowMs / MS_PER_MINUTE);
  const elapsedMinutes = Math.max(0, nowMinute - model.fleet.historyStartMinute);
  if (elapsedMinutes === 0) return 0;
  let ratePerSecond = 0;
  const samples = 24;
  for (let h = 0; h < samples; h++) ratePerSecond += expectedRatePerSecond(model, group.fn.name, nowMinute - (h * MINUTES_PER_DAY) / samples) / samples;
  // The same volume Cost Explorer bills as ingestion.
  return Math.round(ratePerSecond * 60 * elapsedMinutes * logBytesPerInvocation(group.fn));
}

function runtimeFamily(runtime: string): LogGroup["runtimeFamily"] {
  if (runtime.startsWith("nodejs")) return "node";
  if (runtime.startsWith("python")) return "python";
  if (runtime.startsWith("java")) return "java";
  return "other";
}

/** `INIT_START Runtime Version: nodejs:20.v48\tRuntime Version ARN: arn:aws:lambda:<region>::runtime:<64 hex>`. */
function initStartMessage(fn: FunctionSpec): string {
  const match = /^([a-z]+)(\d[\d.]*)?/.exec(fn.runtime.replace(/\.x$/, ""));
  const family = match?.[1] ?? fn.runtime;
  const version = match?.[2] ?? "1";
  const runtimeHash = hashString(fn.runtime);
  const build = 10 + (runtimeHash % 60);
  const arnHex = [1, 2, 3, 4, 5, 6, 7, 8].map((part) => (hashInts(runtimeHash, part) >>> 0).toString(16).padStart(8, "0")).join("");
  return `INIT_START Runtime Version: ${family}:${version}.v${build}\tRuntime Version ARN: arn:aws:lambda:${fn.region}::runtime:${arnHex}`;
}

/**
 * The stream an invocation writes to: `2026/11/26/[$LATEST]<32 hex>`, one per execution
 * environment slot and day (environments are not modelled one by one; a slot stands for one).
 * Weighted records write to slot 0's stream: the date and version of every stream of the
 * minute, which is all a query may read of @logStream over them (see log-stream-names.ts).
 */
export function logStreamName(model: SimModel, group: LogGroup, epochMinute: number, slot: number): string {
  const day = Math.floor(epochMinute / MINUTES_PER_DAY);
  const cacheKey = day * 100_000 + slot;
  const cached = group.streamNames.get(cacheKey);
  if (cached !== undefined) return cached;
  const date = new Date(day * MINUTES_PER_DAY * MS_PER_MINUTE).toISOString().slice(0, 10).replaceAll("-", "/");
  const hex = [1, 2, 3, 4].map((part) => (hashInts(model.seed, group.fn.nameHash, day, slot, part) >>> 0).toString(16).padStart(8, "0")).join("");
  const name = formatLogStreamName(date, group.versionLabel, hex);
  group.streamNames.set(cacheKey, name);
  return name;
}
