import type { SloDefinition, SloSpec } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { DAY_MS } from "@/lib/domain/shared/time";

const T = Date.UTC(2026, 10, 26, 12);

/** What a person writes: payments-api availability, 99.9 % over a rolling 30 days; override what the test is about. */
export function aSloSpec(overrides: Partial<SloSpec> = {}): SloSpec {
  return {
    id: "payments-availability",
    name: "Payments API availability",
    description: "",
    service: "payments",
    accountId: "123456789012",
    region: "us-east-1",
    target: { kind: "function", functionName: "payments-api" },
    indicator: { kind: "availability", source: "cloudwatch" },
    objective: 0.999,
    window: { kind: "rolling", days: 30 },
    alerting: { enabled: true, minEvents: 100 },
    labels: {},
    ...overrides,
  };
}

/** A stored SLO: aSloSpec() at version 1; override what the test is about. */
export function anSlo(overrides: Partial<SloDefinition> = {}): SloDefinition {
  return { ...aSloSpec(), version: 1, createdAtMs: T - DAY_MS, updatedAtMs: T - DAY_MS, updatedBy: "admin", ...overrides };
}

/** A latest evaluation of `anSlo()`, ok with 80 % of the budget left; override what the test is about. */
export function aSloStatus(overrides: Partial<SloStatus> = {}): SloStatus {
  return {
    sloId: "payments-availability",
    sloVersion: 1,
    evaluatedAtMs: T,
    throughMs: T,
    level: "ok",
    period: { fromMs: T - 30 * DAY_MS, toMs: T, periodMs: 30 * DAY_MS },
    good: 999_800,
    total: 1_000_000,
    sliRatio: 0.9998,
    budgetRemainingRatio: 0.8,
    currentBurnRate: 0.2,
    timeToExhaustionMs: null,
    rules: [],
    minEvents: 100,
    coverageRatio: 1,
    problem: null,
    ...overrides,
  };
}
