import { z } from "zod";
import { SIM_SERVICES, type SimFaults, type SimServiceName } from "./wire";

/**
 * Faults on demand. Rules come from the scenario (`faults:`) and from the admin endpoint
 * (`PUT /__sim/faults`), so tests can switch them at run time. Request-level faults
 * (throttling, 5xx, latency) are applied by the server before a service sees the request;
 * the others (short pages, malformed log lines, Logs query timeouts) are read by the
 * services through `SimFaults`.
 *
 * Ratios are applied deterministically: of the requests a rule matches, the n-th fails when
 * ⌊n × ratio⌋ > ⌊(n − 1) × ratio⌋, so 0.5 fails every other request and 1 fails them all.
 */

const ServiceSchema = z.enum(SIM_SERVICES, { error: `service must be one of ${SIM_SERVICES.join(", ")}` });
const Ratio = z.number().min(0, { error: "must be between 0 and 1" }).max(1, { error: "must be between 0 and 1" });
const target = {
  service: ServiceSchema,
  /** Operation name as the SDK calls it (GetMetricData, ListFunctions, ...); absent = every operation. */
  operation: z.string().min(1).optional(),
};

export const FaultRuleSchema = z.discriminatedUnion(
  "kind",
  [
    /** The service's own throttling error (ThrottlingException, TooManyRequestsException, ...). */
    z.strictObject({ kind: z.literal("throttle"), ...target, ratio: Ratio.default(1), count: z.number().int().positive().optional() }),
    /** HTTP 5xx (the SDK retries these). `count` fails that many matching requests, then stops: a burst. */
    z.strictObject({ kind: z.literal("server-error"), ...target, ratio: Ratio.default(1), count: z.number().int().positive().optional() }),
    z.strictObject({ kind: z.literal("latency"), ...target, addedMs: z.number().int().min(0).max(120_000) }),
    /** Paginated operations return at most `pageSize` items per page (with a token for the rest). */
    z.strictObject({ kind: z.literal("truncated-pages"), service: ServiceSchema, pageSize: z.number().int().min(1).max(1000) }),
    /** This share of REPORT lines is cut short (fields missing or unparseable). */
    z.strictObject({ kind: z.literal("malformed-log-lines"), ratio: Ratio }),
    /** Logs Insights queries stay Running for `afterSeconds`, then end as Timeout (AWS: 60 minutes). */
    z.strictObject({ kind: z.literal("logs-query-timeout"), afterSeconds: z.number().int().min(0).max(3600).default(3600) }),
  ],
  { error: "kind must be one of throttle, server-error, latency, truncated-pages, malformed-log-lines, logs-query-timeout" },
);
export type FaultRule = z.infer<typeof FaultRuleSchema>;
/** A rule as written (defaults such as `ratio: 1` may be left out). */
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;
export const FaultRulesSchema = z.array(FaultRuleSchema);

/** What the server should do to one request before (or instead of) serving it. */
export type RequestFault =
  | { kind: "throttle" }
  | { kind: "server-error" }
  | { kind: "latency"; addedMs: number };

interface RuleState {
  rule: FaultRule;
  matched: number;
  fired: number;
}

/** The faults in force and their counters. */
export class FaultController implements SimFaults {
  private states: RuleState[] = [];

  constructor(rules: readonly FaultRuleInput[] = []) {
    this.set(rules);
  }

  /**
   * Replaces every rule (counters restart). Rules are validated and defaults filled in.
   * @throws z.ZodError naming the rule and field that is wrong.
   */
  set(rules: readonly FaultRuleInput[]): void {
    this.states = FaultRulesSchema.parse(rules).map((rule) => ({ rule, matched: 0, fired: 0 }));
  }

  rules(): FaultRule[] {
    return this.states.map((state) => state.rule);
  }

  /**
   * Faults to apply to one request: at most one failure (the first rule that fires) plus the
   * added latency of every matching latency rule.
   */
  onRequest(service: SimServiceName, operation: string): RequestFault[] {
    const faults: RequestFault[] = [];
    let failed = false;
    for (const state of this.states) {
      const { rule } = state;
      if (rule.kind !== "throttle" && rule.kind !== "server-error" && rule.kind !== "latency") continue;
      if (rule.service !== service || (rule.operation !== undefined && rule.operation !== operation)) continue;
      if (rule.kind === "latency") {
        faults.push({ kind: "latency", addedMs: rule.addedMs });
        continue;
      }
      if (failed || (rule.count !== undefined && state.fired >= rule.count)) continue;
      state.matched++;
      if (Math.floor(state.matched * rule.ratio) > Math.floor((state.matched - 1) * rule.ratio)) {
        state.fired++;
        failed = true;
        faults.push({ kind: rule.kind });
      }
    }
    return faults;
  }

  pageLimit(service: SimServiceName): number | undefined {
    let limit: number | undefined;
    for (const { rule } of this.states) {
      if (rule.kind === "truncated-pages" && rule.service === service) limit = Math.min(limit ?? Infinity, rule.pageSize);
    }
    return limit;
  }

  malformedLogLineRatio(): number {
    return Math.max(0, ...this.states.map(({ rule }) => (rule.kind === "malformed-log-lines" ? rule.ratio : 0)));
  }

  logsQueryTimeoutSeconds(): number | undefined {
    const rule = this.states.find(({ rule }) => rule.kind === "logs-query-timeout")?.rule;
    return rule?.kind === "logs-query-timeout" ? rule.afterSeconds : undefined;
  }
}
