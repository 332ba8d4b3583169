import { DAYS_OF_WEEK, type Scenario, type ScenarioEvent, type ScenarioFunction, type TrafficShape } from "../scenario-schema";
import { Z_P99 } from "./distributions";
import { hashString } from "./random";
import { toEpochMinute } from "./time";

/** Where a function's traffic comes from, with scenario defaults resolved. */
export type ResolvedTraffic =
  | { kind: "rate"; meanRatePerSecond: number; shape: TrafficShape }
  | { kind: "follows"; upstream: string; ratio: number };

/** A function with every scenario default resolved: what both the Lambda API and the model read. */
export interface FunctionSpec {
  /** Stable per-name hash used to key the function's random streams. */
  nameHash: number;
  name: string;
  arn: string;
  description: string;
  runtime: string;
  architecture: "x86_64" | "arm64";
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
  handler: string;
  role: string;
  codeSizeBytes: number;
  tracingMode: "Active" | "PassThrough";
  /** Lambda's own format, e.g. `2026-11-01T00:00:00.000+0000`. */
  lastModified: string;
  /** `undefined` = untagged. */
  tags: Readonly<Record<string, string>> | undefined;
  reservedConcurrency: number | undefined;
  aliases: readonly { name: string; functionVersion: number }[];
  provisionedConcurrency: readonly { qualifier: string; requestedExecutions: number }[];
  traffic: ResolvedTraffic;
  durationMedianMs: number;
  /** Lognormal shape parameter: ln(p99/median) / z(0.99). */
  durationSigma: number;
  errorBaselineRatio: number;
}

/** An event schedule compiled to epoch minutes and day numbers. */
export type CompiledSchedule =
  | { kind: "at"; startMinute: number }
  | { kind: "daily"; minuteOfDay: number; daysOfWeek: ReadonlySet<number> | undefined }
  | { kind: "random"; perWeek: number };

/** What an active event does to the functions it targets. */
export interface EventEffect {
  rateMultiplier: number;
  /** Replaces the baseline error ratio while active. */
  errorRatio: number | undefined;
  durationMultiplier: number;
}

export interface FleetEvent {
  name: string;
  nameHash: number;
  schedule: CompiledSchedule;
  durationMinutes: number;
  functionNames: ReadonlySet<string>;
  effect: EventEffect;
}

/** The simulated account: resolved functions (in scenario order) and compiled events. */
export interface Fleet {
  accountId: string;
  region: string;
  concurrentExecutionsLimit: number;
  /** What remains for functions without reserved concurrency. */
  unreservedConcurrencyLimit: number;
  functions: readonly FunctionSpec[];
  byName: ReadonlyMap<string, FunctionSpec>;
  events: readonly FleetEvent[];
}

/**
 * Resolves a validated scenario into the fleet the model and the APIs share: defaults applied,
 * Lambda-style derived fields (ARN, handler, role, code size) filled in deterministically.
 */
export function buildFleet(scenario: Scenario): Fleet {
  const { id: accountId, region, concurrentExecutionsLimit } = scenario.account;
  const functions = scenario.functions.map((fn) => toFunctionSpec(scenario, fn));
  const reservedTotal = functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  return {
    accountId,
    region,
    concurrentExecutionsLimit,
    unreservedConcurrencyLimit: concurrentExecutionsLimit - reservedTotal,
    functions,
    byName: new Map(functions.map((fn) => [fn.name, fn])),
    events: scenario.events.map(toFleetEvent),
  };
}

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** ISO-8601 instant → Lambda's `2026-11-01T00:00:00.000+0000`. */
export function toLambdaTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace("Z", "+0000");
}

function toFunctionSpec(scenario: Scenario, fn: ScenarioFunction): FunctionSpec {
  const { id: accountId, region } = scenario.account;
  const nameHash = hashString(fn.name);
  const traffic: ResolvedTraffic = fn.traffic.follows !== undefined
    ? { kind: "follows", upstream: fn.traffic.follows, ratio: fn.traffic.ratio ?? 1 }
    : {
      kind: "rate",
      meanRatePerSecond: fn.traffic.meanRatePerSecond ?? 0,
      shape: { ...scenario.defaults.trafficShape, ...fn.traffic.shape },
    };
  return {
    nameHash,
    name: fn.name,
    arn: functionArn(region, accountId, fn.name),
    description: fn.description,
    runtime: fn.runtime,
    architecture: fn.architecture,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    ephemeralStorageMb: fn.ephemeralStorageMb,
    handler: fn.handler ?? defaultHandler(fn.runtime, fn.name),
    role: fn.role ?? `arn:aws:iam::${accountId}:role/${fn.name}-role`,
    codeSizeBytes: fn.codeSizeBytes ?? defaultCodeSizeBytes(fn.runtime, nameHash),
    tracingMode: fn.tracing,
    lastModified: toLambdaTimestamp(fn.lastModified ?? scenario.defaults.lastModified),
    tags: fn.tags,
    reservedConcurrency: fn.reservedConcurrency,
    aliases: fn.aliases,
    provisionedConcurrency: fn.provisionedConcurrency,
    traffic,
    durationMedianMs: fn.duration.medianMs,
    durationSigma: Math.log(fn.duration.p99Ms / fn.duration.medianMs) / Z_P99,
    errorBaselineRatio: fn.errors?.baselineRatio ?? scenario.defaults.errorBaselineRatio,
  };
}

function defaultHandler(runtime: string, name: string): string {
  if (runtime.startsWith("python")) return "app.lambda_handler";
  if (runtime.startsWith("java")) {
    const className = name.split(/[-_]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
    return `com.example.${className}Handler::handleRequest`;
  }
  if (runtime.startsWith("dotnet")) return `App::App.Function::FunctionHandler`;
  if (runtime.startsWith("provided")) return "bootstrap";
  return "index.handler";
}

/** A plausible package size per runtime family, varied per function by its name hash. */
function defaultCodeSizeBytes(runtime: string, nameHash: number): number {
  const spread = (nameHash % 1000) / 1000;
  if (runtime.startsWith("java")) return Math.round(14_000_000 + spread * 16_000_000);
  if (runtime.startsWith("python")) return Math.round(300_000 + spread * 2_500_000);
  return Math.round(600_000 + spread * 3_400_000);
}

function toFleetEvent(event: ScenarioEvent): FleetEvent {
  const effect: EventEffect = { rateMultiplier: 1, errorRatio: undefined, durationMultiplier: 1 };
  if (event.kind === "traffic-spike") effect.rateMultiplier = event.rateMultiplier;
  if (event.kind === "error-burst") effect.errorRatio = event.errorRatio;
  if (event.kind === "latency-regression") effect.durationMultiplier = event.durationMultiplier;
  return {
    name: event.name,
    nameHash: hashString(event.name),
    schedule: toEventSchedule(event.schedule),
    durationMinutes: event.durationMinutes,
    functionNames: new Set(event.functions),
    effect,
  };
}

function toEventSchedule(schedule: ScenarioEvent["schedule"]): CompiledSchedule {
  if (schedule.at !== undefined) return { kind: "at", startMinute: toEpochMinute(Date.parse(schedule.at)) };
  if (schedule.dailyAtUtc !== undefined) {
    const [hours = 0, minutes = 0] = schedule.dailyAtUtc.split(":").map(Number);
    const days = schedule.daysOfWeek === undefined
      ? undefined
      : new Set(schedule.daysOfWeek.map((day) => DAYS_OF_WEEK.indexOf(day)));
    return { kind: "daily", minuteOfDay: hours * 60 + minutes, daysOfWeek: days };
  }
  return { kind: "random", perWeek: schedule.randomPerWeek ?? 0 };
}
