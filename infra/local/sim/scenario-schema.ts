import { z } from "zod";
import { FaultRulesSchema } from "./faults";

/**
 * Schema of a simulator scenario file (`infra/local/sim/scenarios/*.yaml`).
 *
 * A scenario describes one simulated AWS account: its Lambda functions (configuration as the
 * Lambda API reports it) and the traffic model that drives every telemetry API. Objects are
 * strict so a typo in a field name is an error, not a silently ignored setting; new model
 * features (cold starts, memory, faults, X-Ray, Logs) extend the schema with new optional
 * fields or new event kinds.
 */

/** Lambda runtimes the simulator accepts (managed runtimes, current and recently deprecated). */
export const LAMBDA_RUNTIMES = [
  "nodejs18.x",
  "nodejs20.x",
  "nodejs22.x",
  "nodejs24.x",
  "python3.9",
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
  "python3.14",
  "java8.al2",
  "java11",
  "java17",
  "java21",
  "java25",
  "dotnet8",
  "dotnet10",
  "ruby3.2",
  "ruby3.3",
  "ruby3.4",
  "provided.al2",
  "provided.al2023",
] as const;

export const DAYS_OF_WEEK = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const between = (min: number, max: number) => `must be between ${min} and ${max}`;

/** Type errors say "is required" for a missing field and `otherwise` for a wrong type. */
const requiredOr = (otherwise: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : otherwise;

/** A number in [min, max] (inclusive) with a message that names the range. */
function numberBetween(min: number, max: number) {
  return z
    .number({ error: requiredOr("must be a number") })
    .min(min, { error: between(min, max) })
    .max(max, { error: between(min, max) });
}

/** An integer in [min, max] (inclusive) with a message that names the range. */
function intBetween(min: number, max: number) {
  return z
    .number({ error: requiredOr("must be an integer") })
    .int({ error: "must be an integer" })
    .min(min, { error: between(min, max) })
    .max(max, { error: between(min, max) });
}

/** A ratio in 0..1 (not a percent). */
const ratio = () => numberBetween(0, 1);

const isoInstant = () =>
  z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time such as 2026-11-01T00:00:00Z" });

/** Lambda function names: letters, digits, hyphens and underscores, 1..64 characters. */
const FunctionNameSchema = z
  .string({ error: requiredOr("must be a string") })
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, { error: "must be 1-64 letters, digits, hyphens or underscores" });

/**
 * Daily and weekly shape of traffic. The daily curve is a smooth half-cosine rising from the
 * trough to the peak and falling back; it is normalised so its mean over a week is 1, which
 * keeps `meanRatePerSecond` the true long-run mean.
 */
export const TrafficShapeSchema = z.strictObject({
  troughHourUtc: numberBetween(0, 23.99),
  peakHourUtc: numberBetween(0, 23.99),
  /** Peak rate divided by trough rate; 1 = flat. */
  peakToTroughRatio: numberBetween(1, 100),
  /** Saturday/Sunday rate relative to a weekday (0.8 = weekends 20 % lower). */
  weekendFactor: numberBetween(0.01, 10),
});
export type TrafficShape = z.infer<typeof TrafficShapeSchema>;

/**
 * Where traffic comes from: either an own mean rate (entry points such as APIs), or a
 * fraction of another function's successful invocations (saga steps, stream consumers,
 * queue workers), so upstream and downstream counts stay consistent minute by minute.
 */
export const TrafficSchema = z
  .strictObject({
    /** Long-run mean arrival rate in requests per second (1 M/day ≈ 11.574). */
    meanRatePerSecond: numberBetween(0, 100_000).optional(),
    /** Partial override of `defaults.trafficShape` (only with `meanRatePerSecond`). */
    shape: TrafficShapeSchema.partial().optional(),
    /** Name of the upstream function whose successful invocations drive this one. */
    follows: FunctionNameSchema.optional(),
    /** Invocations of this function per successful upstream invocation (batching < 1, fan-out > 1). */
    ratio: numberBetween(0, 100).optional(),
  })
  .superRefine((traffic, ctx) => {
    const hasRate = traffic.meanRatePerSecond !== undefined;
    const hasFollows = traffic.follows !== undefined;
    if (hasRate === hasFollows) {
      ctx.addIssue({ code: "custom", message: "set exactly one of meanRatePerSecond or follows" });
    }
    if (hasFollows && traffic.shape !== undefined) {
      ctx.addIssue({ code: "custom", path: ["shape"], message: "only allowed with meanRatePerSecond (followers inherit the upstream shape)" });
    }
    if (!hasFollows && traffic.ratio !== undefined) {
      ctx.addIssue({ code: "custom", path: ["ratio"], message: "only allowed with follows" });
    }
  });
export type Traffic = z.infer<typeof TrafficSchema>;

/**
 * Duration model. A median invocation spends `ioMs` waiting (DynamoDB, HTTP: memory does not
 * change it) and `cpuMs` computing at one full vCPU on x86_64. Lambda gives CPU in proportion
 * to memory (1,769 MB = 1 vCPU, at most 6 vCPUs at 10,240 MB), and code uses at most
 * `parallelism` vCPUs, so the CPU part takes `cpuMs × architectureFactor / min(vCPUs,
 * parallelism)`. Durations are lognormal around that median with p99 = median × p99ToMedian.
 */
export const DurationModelSchema = z.strictObject({
  cpuMs: numberBetween(0, 900_000),
  ioMs: numberBetween(0, 900_000),
  /** p99 / median of one minute's durations (the spread of the lognormal). */
  p99ToMedian: numberBetween(1.01, 100).default(5),
  /** vCPUs the code can keep busy (1 = single-threaded, typical for Node.js and Python). */
  parallelism: numberBetween(1, 6).default(1),
  /** CPU-part time on arm64 relative to x86_64 (0.85 = 15 % faster on Graviton); default per runtime. */
  arm64CpuFactor: numberBetween(0.3, 3).optional(),
}).refine((d) => d.cpuMs + d.ioMs >= 1, { error: "cpuMs + ioMs must be at least 1 ms" });
export type DurationModel = z.infer<typeof DurationModelSchema>;

/**
 * Cold starts: environments are created when concurrency rises above the warm pool, reaped
 * after `idleReapMinutes` without use, and recycled after `lifetimeMinutes` even when busy.
 * Init duration is lognormal (median and p99 at 1 vCPU; it speeds up with CPU like `cpuMs`).
 * Defaults per runtime family (Java and .NET start slowly, provided.* fast).
 */
export const ColdStartModelSchema = z.strictObject({
  initMedianMs: numberBetween(1, 600_000).optional(),
  initP99Ms: numberBetween(1, 600_000).optional(),
  idleReapMinutes: intBetween(1, 120).default(10),
  lifetimeMinutes: intBetween(10, 1440).default(120),
}).superRefine((c, ctx) => {
  if ((c.initMedianMs === undefined) !== (c.initP99Ms === undefined)) {
    ctx.addIssue({ code: "custom", message: "set both initMedianMs and initP99Ms, or neither" });
  } else if (c.initMedianMs !== undefined && c.initP99Ms !== undefined && c.initP99Ms <= c.initMedianMs) {
    ctx.addIssue({ code: "custom", path: ["initP99Ms"], message: "must be greater than initMedianMs" });
  }
});

/** Max Memory Used per invocation (normal around the median); above the configured memory the invocation dies out of memory. */
export const MemoryUseModelSchema = z.strictObject({
  medianMb: numberBetween(1, 10_240),
  p99Mb: numberBetween(1, 10_240),
}).superRefine((m, ctx) => {
  if (m.p99Mb < m.medianMb) ctx.addIssue({ code: "custom", path: ["p99Mb"], message: "must be at least medianMb" });
});

/** What starts the function (the call graph's inbound edge). */
export const TriggerSchema = z.discriminatedUnion("type", [
  /** Behind the service's API Gateway REST API (`route` such as `GET /orders`). */
  z.strictObject({ type: z.literal("api"), route: z.string().regex(/^(GET|POST|PUT|PATCH|DELETE|ANY) \/\S*$/, { error: "must be METHOD /path" }) }),
  z.strictObject({ type: z.literal("sqs"), queue: z.string().min(1) }),
  z.strictObject({ type: z.literal("sns"), topic: z.string().min(1) }),
  z.strictObject({ type: z.literal("eventbridge"), bus: z.string().min(1), rule: z.string().min(1) }),
  z.strictObject({ type: z.literal("dynamodb-stream"), table: z.string().min(1) }),
  z.strictObject({ type: z.literal("schedule"), expression: z.string().min(1) }),
  /** Invoked directly (Step Functions, another function, the SDK). */
  z.strictObject({ type: z.literal("invoke") }),
], { error: "type must be one of api, sqs, sns, eventbridge, dynamodb-stream, schedule, invoke" });
export type Trigger = z.infer<typeof TriggerSchema>;

export const DOWNSTREAM_SERVICES = ["dynamodb", "eventbridge", "sqs", "sns", "lambda", "http"] as const;

/** A call the function makes per invocation (the call graph's outbound edges). */
export const DownstreamCallSchema = z.strictObject({
  service: z.enum(DOWNSTREAM_SERVICES, { error: `must be one of ${DOWNSTREAM_SERVICES.join(", ")}` }),
  /** Table, bus, queue, topic, function name, or host for http. */
  resource: z.string().min(1),
  /** dynamodb only: read or write capacity. */
  operation: z.enum(["read", "write"]).optional(),
  /** Mean calls per invocation (0.5 = every other invocation). */
  perInvocation: numberBetween(0, 10_000).default(1),
  /** Median latency of one call, part of the function's ioMs. */
  latencyMs: numberBetween(0, 60_000).default(5),
  /** Share of calls that fail (counted as faults on the downstream node). */
  errorRatio: ratio().default(0),
});
export type DownstreamCall = z.infer<typeof DownstreamCallSchema>;

export const ErrorModelSchema = z.strictObject({
  /** Fraction of invocations that fail in normal operation (0.001 = 0.1 %). */
  baselineRatio: ratio(),
});

export const AliasSchema = z.strictObject({
  name: z.string().regex(/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/, { error: "must be an alias name such as live" }),
  /** Published version the alias points to. */
  functionVersion: intBetween(1, 1_000_000),
});

export const ProvisionedConcurrencySchema = z.strictObject({
  /** Alias name (PC cannot be configured on $LATEST). */
  qualifier: z.string().min(1),
  requestedExecutions: intBetween(1, 10_000),
});

export const FunctionSchema = z
  .strictObject({
    name: FunctionNameSchema,
    description: z.string().max(256, { error: "must be at most 256 characters" }).default(""),
    runtime: z.enum(LAMBDA_RUNTIMES, { error: requiredOr(`must be one of ${LAMBDA_RUNTIMES.join(", ")}`) }),
    architecture: z.enum(["x86_64", "arm64"], { error: "must be x86_64 or arm64" }).default("x86_64"),
    memoryMb: intBetween(128, 10_240),
    timeoutSeconds: intBetween(1, 900),
    ephemeralStorageMb: intBetween(512, 10_240).default(512),
    /** Defaults per runtime family (index.handler, app.lambda_handler, ...). */
    handler: z.string().min(1).optional(),
    /** Defaults to arn:aws:iam::<account>:role/<name>-role. */
    role: z.string().min(1).optional(),
    /** Deployment package size; defaults to a deterministic size typical of the runtime. */
    codeSizeBytes: intBetween(1, 262_144_000).optional(),
    tracing: z.enum(["Active", "PassThrough"], { error: "must be Active or PassThrough" }).default("PassThrough"),
    /** Defaults to `defaults.lastModified`. */
    lastModified: isoInstant().optional(),
    /** Absent = an untagged function (shows up as unallocated cost). */
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
    reservedConcurrency: intBetween(0, 100_000).optional(),
    aliases: z.array(AliasSchema).default([]),
    provisionedConcurrency: z.array(ProvisionedConcurrencySchema).default([]),
    /** Defaults to the account's first region. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "must be an AWS region such as us-east-1" }).optional(),
    traffic: TrafficSchema,
    duration: DurationModelSchema,
    coldStart: ColdStartModelSchema.prefault({}),
    /** Defaults per runtime family. */
    memoryUse: MemoryUseModelSchema.optional(),
    /** Defaults to `invoke`. */
    trigger: TriggerSchema.optional(),
    calls: z.array(DownstreamCallSchema).default([]),
    /** Defaults to `defaults.errorBaselineRatio`. */
    errors: ErrorModelSchema.optional(),
  })
  .superRefine((fn, ctx) => {
    const aliasNames = new Set<string>();
    fn.aliases.forEach((alias, index) => {
      if (aliasNames.has(alias.name)) {
        ctx.addIssue({ code: "custom", path: ["aliases", index, "name"], message: `duplicate alias "${alias.name}"` });
      }
      aliasNames.add(alias.name);
    });
    let provisionedTotal = 0;
    fn.provisionedConcurrency.forEach((pc, index) => {
      provisionedTotal += pc.requestedExecutions;
      if (!aliasNames.has(pc.qualifier)) {
        ctx.addIssue({ code: "custom", path: ["provisionedConcurrency", index, "qualifier"], message: `unknown alias "${pc.qualifier}" (declare it under aliases)` });
      }
    });
    // Lambda rejects provisioned concurrency above the function's reserved concurrency.
    if (fn.reservedConcurrency !== undefined && provisionedTotal > fn.reservedConcurrency) {
      ctx.addIssue({ code: "custom", path: ["provisionedConcurrency"], message: `total ${provisionedTotal} exceeds reservedConcurrency ${fn.reservedConcurrency}` });
    }
  });
export type ScenarioFunction = z.infer<typeof FunctionSchema>;

/**
 * When an event is active. Exactly one of:
 * - `at`: a single occurrence;
 * - `dailyAtUtc` ("HH:MM"), optionally only on `daysOfWeek`;
 * - `randomPerWeek`: occurrences placed by the seed (at most one per day).
 */
export const EventScheduleSchema = z
  .strictObject({
    at: isoInstant().optional(),
    /**
     * Relative to the simulator's anchor day (the UTC day its history was first served,
     * kept in its state file): `daysAgo: 3, atUtc: "14:05"` stays three days before that day,
     * so the story is in the 15-day window whenever the scenario is started.
     */
    daysAgo: intBetween(0, 14).optional(),
    atUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "must be HH:MM (UTC)" }).optional(),
    dailyAtUtc: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "must be HH:MM (UTC)" })
      .optional(),
    daysOfWeek: z.array(z.enum(DAYS_OF_WEEK, { error: `must be one of ${DAYS_OF_WEEK.join(", ")}` })).min(1).optional(),
    randomPerWeek: numberBetween(0, 7).optional(),
  })
  .superRefine((schedule, ctx) => {
    const kinds = [schedule.at, schedule.dailyAtUtc, schedule.randomPerWeek, schedule.daysAgo].filter((v) => v !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: "custom", message: "set exactly one of at, daysAgo, dailyAtUtc or randomPerWeek" });
    }
    if ((schedule.daysAgo === undefined) !== (schedule.atUtc === undefined)) {
      ctx.addIssue({ code: "custom", path: ["atUtc"], message: "daysAgo and atUtc go together" });
    }
    if (schedule.daysOfWeek !== undefined && schedule.dailyAtUtc === undefined) {
      ctx.addIssue({ code: "custom", path: ["daysOfWeek"], message: "only allowed with dailyAtUtc" });
    }
  });
export type EventSchedule = z.infer<typeof EventScheduleSchema>;

const eventBase = {
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be kebab-case" }),
  schedule: EventScheduleSchema,
  durationMinutes: intBetween(1, 1440),
  /** Functions affected; followers of a spiked function inherit the spike through `follows`. */
  functions: z.array(FunctionNameSchema).min(1, { error: "must name at least one function" }),
};

/** Scheduled deviations from the baseline model. New kinds (faults, cold-start storms) go here. */
export const ScenarioEventSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("traffic-spike"), ...eventBase, rateMultiplier: numberBetween(0, 100) }),
    z.strictObject({ kind: z.literal("error-burst"), ...eventBase, errorRatio: ratio() }),
    z.strictObject({
      kind: z.literal("latency-regression"),
      ...eventBase,
      durationMultiplier: numberBetween(0.01, 100),
      /** Multiplies p99/median (a regression that hurts the tail more than the median). */
      tailMultiplier: numberBetween(0.1, 20).default(1),
    }),
    /**
     * A deploy: from its time on (no end), the functions run new code whose durations and
     * error ratio change. Lambda's LastModified, CodeSha256 and RevisionId move to the deploy;
     * no version is published and aliases keep their version (see invokedVersionLabel).
     */
    z.strictObject({
      kind: z.literal("deploy"),
      name: eventBase.name,
      schedule: EventScheduleSchema,
      functions: eventBase.functions,
      durationMultiplier: numberBetween(0.01, 100).default(1),
      tailMultiplier: numberBetween(0.1, 20).default(1),
      errorRatio: ratio().optional(),
    }),
    /**
     * A configuration change (UpdateFunctionConfiguration in the past): from its time on, the
     * functions run with `memoryMb`. The function's own `memoryMb` is what it had before.
     * Lambda's LastModified and RevisionId move; the code does not change.
     */
    z.strictObject({
      kind: z.literal("configuration-change"),
      name: eventBase.name,
      schedule: EventScheduleSchema,
      functions: eventBase.functions,
      memoryMb: intBetween(128, 10_240),
    }),
  ],
  { error: "kind must be one of traffic-spike, error-burst, latency-regression, deploy, configuration-change" },
);
export type ScenarioEvent = z.infer<typeof ScenarioEventSchema>;

const RegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "must be an AWS region such as us-east-1" });

/**
 * A service: a team's group of functions, optionally behind one API Gateway REST API. Its
 * functions get the tags `team`, `service` and `env` unless they set their own.
 */
export const ServiceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be kebab-case" }),
  team: z.string().min(1),
  env: z.string().min(1).default("prod"),
  /** The REST API in front of the service's `api`-triggered functions. */
  api: z.strictObject({ name: z.string().min(1), stage: z.string().min(1).default("prod") }).optional(),
  functions: z.array(FunctionSchema).min(1, { error: "must declare at least one function" }),
});
export type ScenarioService = z.infer<typeof ServiceSchema>;

/** A function after flattening services: where it belongs, tags resolved. */
export type ScenarioFunctionResolved = ScenarioFunction & {
  service: string | undefined;
  team: string | undefined;
  api: { name: string; stage: string } | undefined;
};

/** X-Ray sampling (AWS's default rule: 1 request/s reservoir, then 5 %). */
export const XRaySamplingSchema = z.strictObject({
  reservoirPerSecond: intBetween(0, 1_000_000).default(1),
  fixedRate: ratio().default(0.05),
});

/** IAM role names: 1-64 of letters, digits and `+=,.@_-`. */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** What STS accepts as an ExternalId: 2-1224 of letters, digits and `+=,.@:/_-`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * A member account the simulator hosts beside the scenario's own (the primary): its functions
 * come from another scenario file, and callers reach it by assuming `role` in it with STS
 * AssumeRole (what a multi-account collector does). The member scenario's own `account.id`
 * is the member's account id.
 */
export const MemberAccountSchema = z.strictObject({
  /** A shipped scenario name (`ecommerce-staging`) or a YAML path relative to this file. */
  scenario: z.string({ error: requiredOr("must be a string") }).min(1, { error: "must name a scenario" }),
  /** Name of the IAM role callers assume in the member account (`SightlineReadOnly`). */
  role: z
    .string({ error: requiredOr("must be a string") })
    .regex(IAM_ROLE_NAME, { error: "must be an IAM role name (1-64 letters, digits or +=,.@_-) such as SightlineReadOnly" }),
  /**
   * The external id the role's trust policy requires (`sts:ExternalId`, as the member template's
   * `ExternalId` parameter sets it): AssumeRole without it, or with another, is refused. Absent:
   * any or none is accepted, as by a trust policy without the condition.
   */
  externalId: z
    .string({ error: "must be a string" })
    .regex(EXTERNAL_ID, { error: "must be 2-1224 characters of letters, digits and _+=,.@:/- (what STS accepts as an ExternalId)" })
    .optional(),
});
export type MemberAccount = z.infer<typeof MemberAccountSchema>;

const ScenarioObjectSchema = z.strictObject({
  version: z.literal(1, { error: "must be 1" }),
  name: z.string().min(1),
  description: z.string().default(""),
  /** Default seed of the pseudo-random model; `startSimulator({ seed })` overrides it. */
  seed: intBetween(0, 2 ** 32 - 1).default(1),
  /**
   * Days of history before the anchor day (the day the simulator first served the scenario):
   * before that the functions did not exist, so every API is empty there. CloudWatch keeps
   * 1-minute data for 15 days.
   */
  historyDays: intBetween(1, 60).default(15),
  account: z.strictObject({
    id: z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" }),
    /** Home region (functions default to it). */
    region: RegionSchema,
    /** Further regions with functions (each function names its own with `region`). */
    otherRegions: z.array(RegionSchema).default([]),
    /** Regional concurrent-executions quota (AWS default 1,000). */
    concurrentExecutionsLimit: intBetween(100, 1_000_000).default(1000),
    /** Further accounts the simulator hosts, each reached through STS AssumeRole (none by default). */
    members: z.array(MemberAccountSchema).default([]),
  }),
  defaults: z
    .strictObject({
      lastModified: isoInstant().default("2026-11-01T00:00:00Z"),
      trafficShape: TrafficShapeSchema.default({ troughHourUtc: 4, peakHourUtc: 19, peakToTroughRatio: 5, weekendFactor: 0.8 }),
      errorBaselineRatio: ratio().default(0.001),
    })
    .prefault({}),
  xray: z.strictObject({ sampling: XRaySamplingSchema.prefault({}) }).prefault({}),
  costExplorer: z
    .strictObject({
      /**
       * Hours after a UTC day ends during which Cost Explorer still marks it `Estimated` (its
       * amounts never change once it is not). AWS refreshes the bill at least once a day and
       * keeps recent days estimated for a day or more, so 24 by default; 0 marks a day final
       * as soon as its last minute is published.
       */
      settleHours: numberBetween(0, 744).default(24),
    })
    .prefault({}),
  services: z.array(ServiceSchema).default([]),
  /** Functions outside any service (no default tags: an untagged function stays untagged). */
  functions: z.array(FunctionSchema).default([]),
  events: z.array(ScenarioEventSchema).default([]),
  /** Faults in force from the start (see faults.ts; the admin endpoint can change them). */
  faults: FaultRulesSchema.default([]),
});

/** Every function with its path in the file (for error messages) and its service. */
function flatten(scenario: z.infer<typeof ScenarioObjectSchema>): { fn: ScenarioFunctionResolved; path: (string | number)[] }[] {
  const out: { fn: ScenarioFunctionResolved; path: (string | number)[] }[] = [];
  scenario.services.forEach((service, s) => {
    service.functions.forEach((fn, f) => {
      out.push({
        fn: {
          ...fn,
          tags: { team: service.team, service: service.name, env: service.env, ...fn.tags },
          service: service.name,
          team: service.team,
          api: service.api === undefined ? undefined : { name: service.api.name, stage: service.api.stage },
        },
        path: ["services", s, "functions", f],
      });
    });
  });
  scenario.functions.forEach((fn, f) => {
    out.push({ fn: { ...fn, service: fn.tags?.service, team: fn.tags?.team, api: undefined }, path: ["functions", f] });
  });
  return out;
}

export const ScenarioSchema = ScenarioObjectSchema
  .superRefine((scenario, ctx) => {
    const all = flatten(scenario);
    if (all.length === 0) ctx.addIssue({ code: "custom", path: ["functions"], message: "must declare at least one function (under services or functions)" });
    const regions = new Set([scenario.account.region, ...scenario.account.otherRegions]);
    const memberRefs = new Set<string>();
    scenario.account.members.forEach((member, index) => {
      if (memberRefs.has(member.scenario)) {
        ctx.addIssue({ code: "custom", path: ["account", "members", index, "scenario"], message: `scenario "${member.scenario}" is listed twice` });
      }
      memberRefs.add(member.scenario);
    });
    const names = new Map<string, (string | number)[]>();
    for (const { fn, path } of all) {
      if (names.has(fn.name)) ctx.addIssue({ code: "custom", path: [...path, "name"], message: `duplicate function "${fn.name}"` });
      names.set(fn.name, path);
      if (fn.region !== undefined && !regions.has(fn.region)) {
        ctx.addIssue({ code: "custom", path: [...path, "region"], message: `region ${fn.region} is not one of the account's regions (${[...regions].join(", ")})` });
      }
      if (fn.trigger?.type === "api" && fn.api === undefined) {
        ctx.addIssue({ code: "custom", path: [...path, "trigger"], message: "an api trigger needs the service to declare api" });
      }
    }
    for (const { fn, path } of all) {
      const upstream = fn.traffic.follows;
      if (upstream !== undefined && !names.has(upstream)) {
        ctx.addIssue({ code: "custom", path: [...path, "traffic", "follows"], message: `unknown function "${upstream}"` });
      }
      fn.calls.forEach((call, c) => {
        if (call.service === "lambda" && !names.has(call.resource)) {
          ctx.addIssue({ code: "custom", path: [...path, "calls", c, "resource"], message: `unknown function "${call.resource}"` });
        }
      });
    }
    // A cycle in `follows` would make per-minute counts undefined.
    const byName = new Map(all.map(({ fn }) => [fn.name, fn]));
    for (const { fn, path } of all) {
      const seen = new Set<string>([fn.name]);
      let next = fn.traffic.follows;
      while (next !== undefined) {
        if (seen.has(next)) {
          ctx.addIssue({ code: "custom", path: [...path, "traffic", "follows"], message: `cycle through "${next}"` });
          break;
        }
        seen.add(next);
        next = byName.get(next)?.traffic.follows;
      }
    }
    // AWS keeps at least 100 executions unreserved per region.
    for (const region of regions) {
      const reservedTotal = all
        .filter(({ fn }) => (fn.region ?? scenario.account.region) === region)
        .reduce((sum, { fn }) => sum + (fn.reservedConcurrency ?? 0), 0);
      if (reservedTotal > scenario.account.concurrentExecutionsLimit - 100) {
        ctx.addIssue({
          code: "custom",
          path: ["functions"],
          message: `reserved concurrency in ${region} totals ${reservedTotal}, which leaves fewer than 100 of ${scenario.account.concurrentExecutionsLimit} unreserved`,
        });
      }
    }
    const eventNames = new Set<string>();
    scenario.events.forEach((event, index) => {
      if (eventNames.has(event.name)) {
        ctx.addIssue({ code: "custom", path: ["events", index, "name"], message: `duplicate event "${event.name}"` });
      }
      eventNames.add(event.name);
      if ((event.kind === "deploy" || event.kind === "configuration-change") && event.schedule.at === undefined && event.schedule.daysAgo === undefined) {
        ctx.addIssue({ code: "custom", path: ["events", index, "schedule"], message: `a ${event.kind} happens once: use at or daysAgo` });
      }
      event.functions.forEach((name, fnIndex) => {
        if (!names.has(name)) {
          ctx.addIssue({ code: "custom", path: ["events", index, "functions", fnIndex], message: `unknown function "${name}"` });
        }
      });
    });
  })
  .transform((scenario) => ({ ...scenario, functions: flatten(scenario).map(({ fn }) => fn) }));

/**
 * A validated scenario (zod output: defaults applied, services flattened into `functions`).
 * `memberAccounts` holds the scenarios of `account.members`, in the same order, once
 * `loadScenario`/`parseScenario` has read them (the schema alone does no file I/O).
 */
export type Scenario = z.infer<typeof ScenarioSchema> & { memberAccounts?: readonly ResolvedMemberAccount[] };

/** A member account with its scenario read and validated. */
export interface ResolvedMemberAccount {
  /** The IAM role name callers assume in it. */
  role: string;
  /** The ExternalId its role requires; null: none required. */
  externalId: string | null;
  scenario: Scenario;
}
