import {
  DAYS_OF_WEEK,
  type DownstreamCall,
  type EventSchedule,
  type Scenario,
  type ScenarioEvent,
  type ScenarioFunctionResolved,
  type TrafficShape,
  type Trigger,
} from "../scenario-schema";
import { Z_P99 } from "./distributions";
import { hashString } from "./random";
import { MINUTES_PER_DAY, toEpochMinute } from "./time";

/** Where a function's traffic comes from, with scenario defaults resolved. */
export type ResolvedTraffic =
  | { kind: "rate"; meanRatePerSecond: number; shape: TrafficShape }
  | { kind: "follows"; upstream: string; ratio: number };

/** Provisioned concurrency on one qualifier: allocated (billed and warm) from `readyMinute`. */
export interface ProvisionedConfig {
  qualifier: string;
  requestedExecutions: number;
  /** Epoch minute the config was requested (billing starts). */
  requestedMinute: number;
  /** When it was requested, in epoch ms (Lambda's LastModified); undefined for the scenario's own. */
  requestedAtMs: number | undefined;
  /** Epoch minute the environments are ready and serve invocations. */
  readyMinute: number;
  /** Executions the previous config on this qualifier keeps serving until `readyMinute` (an update). */
  servingBeforeReady: number;
}

/**
 * The configuration of a function from `fromMinute` on, until the next revision. Revisions
 * come from the scenario (the initial one), deploy events, and API writes; history never
 * changes, so published telemetry stays what it was.
 */
export interface ConfigRevision {
  fromMinute: number;
  memoryMb: number;
  architecture: "x86_64" | "arm64";
  timeoutSeconds: number;
  reservedConcurrency: number | undefined;
  provisioned: readonly ProvisionedConfig[];
  /** Deploy effects relative to the scenario's duration model. */
  durationMultiplier: number;
  tailMultiplier: number;
  /** Replaces the baseline error ratio (a bad deploy). */
  errorRatio: number | undefined;
  /** Lambda's own format, e.g. `2026-11-01T00:00:00.000+0000`. */
  lastModified: string;
  /** Changes with every code deploy (CodeSha256 and RevisionId derive from it). */
  codeRevision: number;
  /** What made this revision: the scenario, a deploy event, or an API call. */
  cause: string;
}

/** A function with every scenario default resolved: what both the Lambda API and the model read. */
export interface FunctionSpec {
  /** Stable per-name hash used to key the function's random streams. */
  nameHash: number;
  name: string;
  arn: string;
  region: string;
  description: string;
  runtime: string;
  handler: string;
  role: string;
  codeSizeBytes: number;
  ephemeralStorageMb: number;
  tracingMode: "Active" | "PassThrough";
  /** `undefined` = untagged. */
  tags: Readonly<Record<string, string>> | undefined;
  service: string | undefined;
  team: string | undefined;
  /** The API Gateway REST API in front of an `api`-triggered function. */
  api: { name: string; stage: string } | undefined;
  trigger: Trigger;
  calls: readonly DownstreamCall[];
  aliases: readonly { name: string; functionVersion: number }[];
  logGroupName: string;
  traffic: ResolvedTraffic;
  /** Duration model (see DurationModelSchema). */
  cpuMs: number;
  ioMs: number;
  parallelism: number;
  arm64CpuFactor: number;
  /** Lognormal shape parameter: ln(p99/median) / z(0.99). */
  durationSigma: number;
  /** Init (cold start) median at one vCPU on x86_64, and its lognormal shape. */
  initMedianMs: number;
  initSigma: number;
  idleReapMinutes: number;
  lifetimeMinutes: number;
  /** Max Memory Used per invocation: normal(median, sd). */
  memoryUsedMedianMb: number;
  memoryUsedSdMb: number;
  errorBaselineRatio: number;
  /** Configuration over time, oldest first (never empty). Mutated by API writes. */
  revisions: ConfigRevision[];
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
  tailMultiplier: number;
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
  /** Home region first. */
  region: string;
  regions: readonly string[];
  concurrentExecutionsLimit: number;
  /** What remains for functions without reserved concurrency in the home region, at the scenario's start. */
  unreservedConcurrencyLimit: number;
  /**
   * The unreserved pool per region over time (limit − reserved concurrency of all functions),
   * oldest first; rebuilt by `refreshUnreservedPool` after every write.
   */
  unreservedPool: Map<string, { fromMinute: number; executions: number }[]>;
  functions: readonly FunctionSpec[];
  byName: ReadonlyMap<string, FunctionSpec>;
  events: readonly FleetEvent[];
  xraySampling: { reservoirPerSecond: number; fixedRate: number };
  /** Minutes after a UTC day ends during which Cost Explorer still marks it Estimated. */
  costSettleMinutes: number;
  /** Epoch day that relative schedules (`daysAgo`) count back from. */
  anchorDay: number;
  /** First epoch minute with any traffic (`historyDays` before the anchor day). */
  historyStartMinute: number;
}

/** x86_64 MB per vCPU: Lambda allocates CPU in proportion to memory (1,769 MB = 1 vCPU). */
export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;

/** vCPUs that `memoryMb` buys. */
export function vcpusFor(memoryMb: number): number {
  return Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
}

/** Time factor of CPU-bound work at this configuration relative to one full x86_64 vCPU. */
export function cpuTimeFactor(fn: FunctionSpec, memoryMb: number, architecture: "x86_64" | "arm64"): number {
  const usable = Math.min(vcpusFor(memoryMb), fn.parallelism);
  return (architecture === "arm64" ? fn.arm64CpuFactor : 1) / usable;
}

/** Median invocation duration in ms at a configuration (before events and deploy effects). */
export function medianDurationMs(fn: FunctionSpec, memoryMb: number, architecture: "x86_64" | "arm64"): number {
  return fn.ioMs + fn.cpuMs * cpuTimeFactor(fn, memoryMb, architecture);
}

/** Share of init work that is CPU-bound (class loading, JIT, module parsing). */
const INIT_CPU_SHARE = 0.6;

/** Median init duration in ms at a configuration; init is single-threaded. */
export function medianInitMs(fn: FunctionSpec, memoryMb: number, architecture: "x86_64" | "arm64"): number {
  const cpu = (architecture === "arm64" ? fn.arm64CpuFactor : 1) / Math.min(1, vcpusFor(memoryMb));
  return fn.initMedianMs * (1 - INIT_CPU_SHARE + INIT_CPU_SHARE * cpu);
}

/** The revision in effect at `epochMinute` (the first one for minutes before it). */
export function revisionAt(fn: FunctionSpec, epochMinute: number): ConfigRevision {
  const { revisions } = fn;
  for (let i = revisions.length - 1; i > 0; i--) {
    const revision = revisions[i]!;
    if (revision.fromMinute <= epochMinute) return revision;
  }
  return revisions[0]!;
}

/** Provisioned executions ready on `qualifier` (undefined = all qualifiers) at a minute. */
export function provisionedReady(revision: ConfigRevision, epochMinute: number, qualifier?: string): number {
  let total = 0;
  for (const pc of revision.provisioned) {
    if (qualifier !== undefined && pc.qualifier !== qualifier) continue;
    if (pc.readyMinute <= epochMinute) total += pc.requestedExecutions;
    else total += pc.servingBeforeReady;
  }
  return total;
}

/** The unreserved concurrency pool of `region` at a minute. */
export function unreservedPoolAt(fleet: Fleet, region: string, epochMinute: number): number {
  const timeline = fleet.unreservedPool.get(region);
  if (timeline === undefined || timeline.length === 0) return fleet.concurrentExecutionsLimit;
  for (let i = timeline.length - 1; i > 0; i--) {
    if (timeline[i]!.fromMinute <= epochMinute) return timeline[i]!.executions;
  }
  return timeline[0]!.executions;
}

/**
 * Rebuilds each region's unreserved pool over time from every function's revisions: the pool
 * changes wherever some function's reserved concurrency does.
 */
export function refreshUnreservedPool(fleet: Fleet): void {
  fleet.unreservedPool.clear();
  for (const region of fleet.regions) {
    const functions = fleet.functions.filter((fn) => fn.region === region);
    const minutes = [...new Set(functions.flatMap((fn) => fn.revisions.map((r) => r.fromMinute)))].sort((a, b) => a - b);
    const timeline: { fromMinute: number; executions: number }[] = [];
    for (const minute of minutes) {
      const reserved = functions.reduce((sum, fn) => sum + (revisionAt(fn, minute).reservedConcurrency ?? 0), 0);
      const executions = fleet.concurrentExecutionsLimit - reserved;
      if (timeline.at(-1)?.executions !== executions) timeline.push({ fromMinute: minute, executions });
    }
    fleet.unreservedPool.set(region, timeline);
  }
}

/** Provisioned executions billed (requested, ready or not) at a minute. */
export function provisionedBilled(revision: ConfigRevision, epochMinute: number): number {
  let total = 0;
  for (const pc of revision.provisioned) if (pc.requestedMinute <= epochMinute) total += pc.requestedExecutions;
  return total;
}

/** The qualifier traffic is invoked through: the first alias, or the unqualified function. */
export function invokedQualifier(fn: FunctionSpec): string | undefined {
  return fn.aliases[0]?.name;
}

/**
 * The version that serves the function's traffic, as Lambda names it in log stream names
 * (`[57]`) and START lines (`Version: 57`): the version the invoked alias points to, or
 * `$LATEST` for a function invoked unqualified. Versions are not modelled per configuration
 * revision: a deploy changes the code in place (a new revision, same versions) and aliases
 * never move, so the label is the same at every minute — consistent with ListAliases and
 * ListVersionsByFunction, which report the same versions whatever the revision.
 */
export function invokedVersionLabel(fn: FunctionSpec): string {
  const alias = fn.aliases[0];
  return alias === undefined ? "$LATEST" : String(alias.functionVersion);
}

/** Options of `buildFleet`. */
export interface BuildFleetOptions {
  /** Epoch day relative schedules count back from (default: today in UTC). */
  anchorDay: number;
}

/**
 * Resolves a validated scenario into the fleet the model and the APIs share: defaults applied,
 * Lambda-style derived fields (ARN, handler, role, code size) filled in deterministically,
 * deploy events turned into configuration revisions.
 */
export function buildFleet(scenario: Scenario, options: BuildFleetOptions): Fleet {
  const { id: accountId, region, concurrentExecutionsLimit } = scenario.account;
  const anchorDay = options.anchorDay;
  const functions = scenario.functions.map((fn) => toFunctionSpec(scenario, fn));
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const events: FleetEvent[] = [];
  for (const event of scenario.events) {
    if (event.kind === "deploy") applyDeploy(event, byName, anchorDay);
    else if (event.kind === "configuration-change") applyConfigurationChange(event, byName, anchorDay);
    else events.push(toFleetEvent(event, anchorDay));
  }
  const reservedTotal = functions
    .filter((fn) => fn.region === region)
    .reduce((sum, fn) => sum + (fn.revisions[0]!.reservedConcurrency ?? 0), 0);
  const fleet: Fleet = {
    accountId,
    region,
    regions: [region, ...scenario.account.otherRegions.filter((r) => r !== region)],
    concurrentExecutionsLimit,
    unreservedConcurrencyLimit: concurrentExecutionsLimit - reservedTotal,
    functions,
    byName,
    events,
    xraySampling: { ...scenario.xray.sampling },
    costSettleMinutes: Math.round(scenario.costExplorer.settleHours * 60),
    anchorDay,
    historyStartMinute: (anchorDay - scenario.historyDays) * MINUTES_PER_DAY,
    unreservedPool: new Map(),
  };
  refreshUnreservedPool(fleet);
  return fleet;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** ISO-8601 instant → Lambda's `2026-11-01T00:00:00.000+0000`. */
export function toLambdaTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace("Z", "+0000");
}

/** Epoch minute → Lambda's timestamp format. */
export function lambdaTimestampAt(epochMinute: number): string {
  return toLambdaTimestamp(new Date(epochMinute * 60_000).toISOString());
}

/** Runtime-family defaults: init at one vCPU (median, p99), memory used (median, p99) and arm64 CPU factor. */
function runtimeDefaults(runtime: string): { init: [number, number]; memory: [number, number]; arm64: number } {
  if (runtime.startsWith("java")) return { init: [2200, 4800], memory: [190, 260], arm64: 1.0 };
  if (runtime.startsWith("dotnet")) return { init: [650, 1500], memory: [120, 170], arm64: 0.95 };
  if (runtime.startsWith("python")) return { init: [280, 750], memory: [75, 110], arm64: 0.88 };
  if (runtime.startsWith("ruby")) return { init: [320, 800], memory: [85, 120], arm64: 0.9 };
  if (runtime.startsWith("provided")) return { init: [60, 180], memory: [30, 48], arm64: 0.85 };
  return { init: [190, 520], memory: [85, 130], arm64: 0.87 };
}

function toFunctionSpec(scenario: Scenario, fn: ScenarioFunctionResolved): FunctionSpec {
  const { id: accountId } = scenario.account;
  const region = fn.region ?? scenario.account.region;
  const nameHash = hashString(fn.name);
  const traffic: ResolvedTraffic = fn.traffic.follows !== undefined
    ? { kind: "follows", upstream: fn.traffic.follows, ratio: fn.traffic.ratio ?? 1 }
    : {
      kind: "rate",
      meanRatePerSecond: fn.traffic.meanRatePerSecond ?? 0,
      shape: { ...scenario.defaults.trafficShape, ...fn.traffic.shape },
    };
  const defaults = runtimeDefaults(fn.runtime);
  const [initMedianMs, initP99Ms] = fn.coldStart.initMedianMs !== undefined && fn.coldStart.initP99Ms !== undefined
    ? [fn.coldStart.initMedianMs, fn.coldStart.initP99Ms]
    : defaults.init;
  const [memoryMedian, memoryP99] = fn.memoryUse === undefined ? defaults.memory : [fn.memoryUse.medianMb, fn.memoryUse.p99Mb];
  const lastModified = toLambdaTimestamp(fn.lastModified ?? scenario.defaults.lastModified);
  return {
    nameHash,
    name: fn.name,
    arn: functionArn(region, accountId, fn.name),
    region,
    description: fn.description,
    runtime: fn.runtime,
    handler: fn.handler ?? defaultHandler(fn.runtime, fn.name),
    role: fn.role ?? `arn:aws:iam::${accountId}:role/${fn.name}-role`,
    codeSizeBytes: fn.codeSizeBytes ?? defaultCodeSizeBytes(fn.runtime, nameHash),
    ephemeralStorageMb: fn.ephemeralStorageMb,
    tracingMode: fn.tracing,
    tags: fn.tags,
    service: fn.service,
    team: fn.team,
    api: fn.trigger?.type === "api" ? fn.api : undefined,
    trigger: fn.trigger ?? { type: "invoke" },
    calls: fn.calls,
    aliases: fn.aliases,
    logGroupName: `/aws/lambda/${fn.name}`,
    traffic,
    cpuMs: fn.duration.cpuMs,
    ioMs: fn.duration.ioMs,
    parallelism: fn.duration.parallelism,
    arm64CpuFactor: fn.duration.arm64CpuFactor ?? defaults.arm64,
    durationSigma: Math.log(fn.duration.p99ToMedian) / Z_P99,
    initMedianMs,
    initSigma: Math.log(initP99Ms / initMedianMs) / Z_P99,
    idleReapMinutes: fn.coldStart.idleReapMinutes,
    lifetimeMinutes: fn.coldStart.lifetimeMinutes,
    memoryUsedMedianMb: memoryMedian,
    memoryUsedSdMb: (memoryP99 - memoryMedian) / Z_P99,
    errorBaselineRatio: fn.errors?.baselineRatio ?? scenario.defaults.errorBaselineRatio,
    revisions: [
      {
        fromMinute: Number.NEGATIVE_INFINITY,
        memoryMb: fn.memoryMb,
        architecture: fn.architecture,
        timeoutSeconds: fn.timeoutSeconds,
        reservedConcurrency: fn.reservedConcurrency,
        provisioned: fn.provisionedConcurrency.map((pc) => ({
          qualifier: pc.qualifier,
          requestedExecutions: pc.requestedExecutions,
          requestedMinute: Number.NEGATIVE_INFINITY,
          requestedAtMs: undefined,
          readyMinute: Number.NEGATIVE_INFINITY,
          servingBeforeReady: 0,
        })),
        durationMultiplier: 1,
        tailMultiplier: 1,
        errorRatio: undefined,
        lastModified,
        codeRevision: 0,
        cause: "scenario",
      },
    ],
  };
}

/** Minute a one-off schedule (`at` or `daysAgo` + `atUtc`) starts. */
function oneOffStartMinute(schedule: EventSchedule, anchorDay: number): number | undefined {
  if (schedule.at !== undefined) return toEpochMinute(Date.parse(schedule.at));
  if (schedule.daysAgo !== undefined && schedule.atUtc !== undefined) {
    const [hours = 0, minutes = 0] = schedule.atUtc.split(":").map(Number);
    return (anchorDay - schedule.daysAgo) * MINUTES_PER_DAY + hours * 60 + minutes;
  }
  return undefined;
}

/** A deploy becomes a new configuration revision of each function it names. */
function applyDeploy(event: Extract<ScenarioEvent, { kind: "deploy" }>, byName: ReadonlyMap<string, FunctionSpec>, anchorDay: number): void {
  const at = oneOffStartMinute(event.schedule, anchorDay);
  if (at === undefined) return;
  for (const name of event.functions) {
    const fn = byName.get(name);
    if (fn === undefined) continue;
    const previous = revisionAt(fn, at);
    const revision: ConfigRevision = {
      ...previous,
      fromMinute: at,
      durationMultiplier: previous.durationMultiplier * event.durationMultiplier,
      tailMultiplier: previous.tailMultiplier * event.tailMultiplier,
      errorRatio: event.errorRatio ?? previous.errorRatio,
      lastModified: lambdaTimestampAt(at),
      codeRevision: previous.codeRevision + 1,
      cause: `deploy ${event.name}`,
    };
    fn.revisions.push(revision);
    fn.revisions.sort((a, b) => a.fromMinute - b.fromMinute);
  }
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

/** A past configuration change becomes a new revision with the new memory size (same code). */
function applyConfigurationChange(event: Extract<ScenarioEvent, { kind: "configuration-change" }>, byName: ReadonlyMap<string, FunctionSpec>, anchorDay: number): void {
  const at = oneOffStartMinute(event.schedule, anchorDay);
  if (at === undefined) return;
  for (const name of event.functions) {
    const fn = byName.get(name);
    if (fn === undefined) continue;
    const previous = revisionAt(fn, at);
    fn.revisions.push({ ...previous, fromMinute: at, memoryMb: event.memoryMb, lastModified: lambdaTimestampAt(at), cause: `configuration-change ${event.name}` });
    fn.revisions.sort((a, b) => a.fromMinute - b.fromMinute);
  }
}

function toFleetEvent(event: Exclude<ScenarioEvent, { kind: "deploy" | "configuration-change" }>, anchorDay: number): FleetEvent {
  const effect: EventEffect = { rateMultiplier: 1, errorRatio: undefined, durationMultiplier: 1, tailMultiplier: 1 };
  if (event.kind === "traffic-spike") effect.rateMultiplier = event.rateMultiplier;
  if (event.kind === "error-burst") effect.errorRatio = event.errorRatio;
  if (event.kind === "latency-regression") {
    effect.durationMultiplier = event.durationMultiplier;
    effect.tailMultiplier = event.tailMultiplier;
  }
  return {
    name: event.name,
    nameHash: hashString(event.name),
    schedule: toEventSchedule(event.schedule, anchorDay),
    durationMinutes: event.durationMinutes,
    functionNames: new Set(event.functions),
    effect,
  };
}

function toEventSchedule(schedule: EventSchedule, anchorDay: number): CompiledSchedule {
  const oneOff = oneOffStartMinute(schedule, anchorDay);
  if (oneOff !== undefined) return { kind: "at", startMinute: oneOff };
  if (schedule.dailyAtUtc !== undefined) {
    const [hours = 0, minutes = 0] = schedule.dailyAtUtc.split(":").map(Number);
    const days = schedule.daysOfWeek === undefined
      ? undefined
      : new Set(schedule.daysOfWeek.map((day) => DAYS_OF_WEEK.indexOf(day)));
    return { kind: "daily", minuteOfDay: hours * 60 + minutes, daysOfWeek: days };
  }
  return { kind: "random", perWeek: schedule.randomPerWeek ?? 0 };
}
