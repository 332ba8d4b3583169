import { z } from "zod";

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

/** Lognormal duration model: median and p99 fix the spread (sigma = ln(p99/median) / 2.326). */
export const DurationModelSchema = z
  .strictObject({
    medianMs: numberBetween(1, 900_000),
    p99Ms: numberBetween(1, 900_000),
  })
  .superRefine((duration, ctx) => {
    if (duration.p99Ms <= duration.medianMs) {
      ctx.addIssue({ code: "custom", path: ["p99Ms"], message: "must be greater than medianMs" });
    }
  });
export type DurationModel = z.infer<typeof DurationModelSchema>;

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
    traffic: TrafficSchema,
    duration: DurationModelSchema,
    /** Defaults to `defaults.errorBaselineRatio`. */
    errors: ErrorModelSchema.optional(),
  })
  .superRefine((fn, ctx) => {
    if (fn.duration.p99Ms > fn.timeoutSeconds * 1000) {
      ctx.addIssue({ code: "custom", path: ["duration", "p99Ms"], message: `must not exceed the timeout (${fn.timeoutSeconds * 1000} ms)` });
    }
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
    dailyAtUtc: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "must be HH:MM (UTC)" })
      .optional(),
    daysOfWeek: z.array(z.enum(DAYS_OF_WEEK, { error: `must be one of ${DAYS_OF_WEEK.join(", ")}` })).min(1).optional(),
    randomPerWeek: numberBetween(0, 7).optional(),
  })
  .superRefine((schedule, ctx) => {
    const kinds = [schedule.at, schedule.dailyAtUtc, schedule.randomPerWeek].filter((v) => v !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: "custom", message: "set exactly one of at, dailyAtUtc or randomPerWeek" });
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
    z.strictObject({ kind: z.literal("latency-regression"), ...eventBase, durationMultiplier: numberBetween(0.01, 100) }),
  ],
  { error: "kind must be one of traffic-spike, error-burst, latency-regression" },
);
export type ScenarioEvent = z.infer<typeof ScenarioEventSchema>;

export const ScenarioSchema = z
  .strictObject({
    version: z.literal(1, { error: "must be 1" }),
    name: z.string().min(1),
    description: z.string().default(""),
    /** Default seed of the pseudo-random model; `startSimulator({ seed })` overrides it. */
    seed: intBetween(0, 2 ** 32 - 1).default(1),
    account: z.strictObject({
      id: z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" }),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "must be an AWS region such as us-east-1" }),
      /** Regional concurrent-executions quota (AWS default 1,000). */
      concurrentExecutionsLimit: intBetween(100, 1_000_000).default(1000),
    }),
    defaults: z
      .strictObject({
        lastModified: isoInstant().default("2026-11-01T00:00:00Z"),
        trafficShape: TrafficShapeSchema.default({ troughHourUtc: 4, peakHourUtc: 19, peakToTroughRatio: 5, weekendFactor: 0.8 }),
        errorBaselineRatio: ratio().default(0.001),
      })
      .prefault({}),
    functions: z.array(FunctionSchema).min(1, { error: "must declare at least one function" }),
    events: z.array(ScenarioEventSchema).default([]),
  })
  .superRefine((scenario, ctx) => {
    const names = new Map<string, number>();
    scenario.functions.forEach((fn, index) => {
      if (names.has(fn.name)) {
        ctx.addIssue({ code: "custom", path: ["functions", index, "name"], message: `duplicate function "${fn.name}"` });
      }
      names.set(fn.name, index);
    });
    scenario.functions.forEach((fn, index) => {
      const upstream = fn.traffic.follows;
      if (upstream !== undefined && !names.has(upstream)) {
        ctx.addIssue({ code: "custom", path: ["functions", index, "traffic", "follows"], message: `unknown function "${upstream}"` });
      }
    });
    // A cycle in `follows` would make per-minute counts undefined.
    scenario.functions.forEach((fn, index) => {
      const seen = new Set<string>([fn.name]);
      let next = fn.traffic.follows;
      while (next !== undefined) {
        if (seen.has(next)) {
          ctx.addIssue({ code: "custom", path: ["functions", index, "traffic", "follows"], message: `cycle through "${next}"` });
          return;
        }
        seen.add(next);
        const upstreamIndex = names.get(next);
        next = upstreamIndex === undefined ? undefined : scenario.functions[upstreamIndex]?.traffic.follows;
      }
    });
    const reservedTotal = scenario.functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
    // AWS keeps at least 100 executions unreserved per region.
    if (reservedTotal > scenario.account.concurrentExecutionsLimit - 100) {
      ctx.addIssue({
        code: "custom",
        path: ["functions"],
        message: `reserved concurrency totals ${reservedTotal}, which leaves fewer than 100 of ${scenario.account.concurrentExecutionsLimit} unreserved`,
      });
    }
    const eventNames = new Set<string>();
    scenario.events.forEach((event, index) => {
      if (eventNames.has(event.name)) {
        ctx.addIssue({ code: "custom", path: ["events", index, "name"], message: `duplicate event "${event.name}"` });
      }
      eventNames.add(event.name);
      event.functions.forEach((name, fnIndex) => {
        if (!names.has(name)) {
          ctx.addIssue({ code: "custom", path: ["events", index, "functions", fnIndex], message: `unknown function "${name}"` });
        }
      });
    });
  });

/** A validated scenario (zod output: defaults applied). */
export type Scenario = z.infer<typeof ScenarioSchema>;
