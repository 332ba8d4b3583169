import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "@/cli/args";
import { parseAlertAtFlag, parseCostArgs, parseMonthlyUsdFlag } from "@/cli/commands/cost-args";
import { formatBudgets, formatCostReport, runCost, validateChangedSettings, type CostCliDeps } from "@/cli/commands/cost";
import { withBudget, withoutBudget } from "@/lib/domain/cost/budget-input";
import type { StoredCostSettings } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { DEFAULT_COST_SETTINGS } from "@/lib/domain/cost/cost-settings";
import type { CostSettings, CostView } from "@/lib/domain/cost/cost-types";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import type { CostViewDeps } from "@/lib/queries/cost-view";

const NOW = Date.UTC(2026, 10, 27, 15, 30);
const TAG_KEYS = ["team", "env"];
const parse = (argv: string[]) => parseCostArgs(argv, NOW, TAG_KEYS);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("parseCostArgs: report and export", () => {
  it("defaults: the first tag key, the last 14 days including today, no bucket", () => {
    expect(parse(["report"])).toEqual({
      help: false,
      action: "report",
      json: false,
      params: { groupBy: { kind: "tag", key: "team" }, window: { fromMs: Date.UTC(2026, 10, 14), toMs: Date.UTC(2026, 10, 28) }, bucket: null, range: "14d" },
    });
  });

  it("reads grouping, custom days (to exclusive), bucket and --json", () => {
    expect(parse(["report", "--group-by", "service", "--from", "2026-11-01", "--to", "2026-11-08", "--bucket", "value:AWS Lambda", "--json"])).toEqual({
      help: false,
      action: "report",
      json: true,
      params: { groupBy: { kind: "service" }, window: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 8) }, bucket: "value:AWS Lambda", range: "custom" },
    });
  });

  it("reads export with format and file; csv by default and stdout without --out", () => {
    const focus = parse(["export", "--format", "focus", "--out", "/tmp/x.csv", "--range", "mtd"]);
    expect(focus).toMatchObject({ action: "export", format: "focus", out: "/tmp/x.csv", params: { range: "mtd", window: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 28) } } });
    expect(parse(["export"])).toMatchObject({ action: "export", format: "csv", out: null });
  });

  it.each([
    [["report", "--group-by", "tag:teem"], /^--group-by must be one of tag:team, tag:env, service, got "tag:teem"$/],
    [["report", "--range", "2w"], /^--range must be one of 7d, 14d, 30d, mtd, got "2w"$/],
    [["report", "--from", "2026-11-01"], /^--to: from and to must be given together/],
    [["report", "--from", "2026-13-01", "--to", "2026-11-02"], /^--from must be a date YYYY-MM-DD/],
    [["report", "--from", "2026-11-05", "--to", "2026-11-01"], /^--to must be after from/],
    [["report", "--range", "7d", "--from", "2026-11-01", "--to", "2026-11-02"], /^--range: give either range or from\/to/],
    [["report", "--bucket", "payments"], /^--bucket must be value:<name>, unallocated or idle/],
    [["export", "--format", "xlsx"], /^--format must be csv or focus, got "xlsx"$/],
    [["export", "--json"], /^--json does not apply to `cost export`/],
    [["report", "--monthly-usd", "5"], /^--monthly-usd does not apply to `cost report`/],
    [["report", "extra"], /unexpected argument "extra"/],
    [["report", "--nope"], /Unknown option '--nope'/],
    [["forecast"], /unknown cost subcommand "forecast"/],
    [[], /unknown cost subcommand ""/],
  ])("%j is a usage error naming the flag", (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it("answers --help without looking at the rest", () => {
    expect(parse(["report", "--help"])).toEqual({ help: true });
  });
});

describe("parseCostArgs: budgets", () => {
  it("reads budget set, with the monthly limit exact in µUSD and the alert shares sorted", () => {
    expect(parse(["budget", "set", "--group-by", "tag:team", "--bucket", "value:payments", "--monthly-usd", "1200.50", "--alert-at", "1,0.5,80%"])).toEqual({
      help: false,
      action: "budget-set",
      groupBy: "tag:team",
      bucket: "value:payments",
      monthlyMicroUsd: 1_200_500_000,
      alertAtRatios: [0.5, 0.8, 1],
    });
  });

  it("defaults the alerts to 80 % and 100 %", () => {
    expect(parse(["budget", "set", "--group-by", "service", "--bucket", "idle", "--monthly-usd", "50"])).toMatchObject({ alertAtRatios: [0.8, 1], monthlyMicroUsd: 50_000_000 });
  });

  it("reads list and remove", () => {
    expect(parse(["budget", "list", "--json"])).toEqual({ help: false, action: "budget-list", json: true });
    expect(parse(["budget", "remove", "--group-by", "tag:env", "--bucket", "unallocated"])).toEqual({ help: false, action: "budget-remove", groupBy: "tag:env", bucket: "unallocated" });
  });

  it.each([
    [["budget", "set", "--bucket", "value:payments", "--monthly-usd", "1"], /^--group-by is required/],
    [["budget", "set", "--group-by", "tag:team", "--monthly-usd", "1"], /^--bucket is required/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:payments"], /^--monthly-usd is required/],
    [["budget", "set", "--group-by", "tag:cost-center", "--bucket", "value:x", "--monthly-usd", "1"], /^--group-by must be one of/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "payments", "--monthly-usd", "1"], /^--bucket must be value:<name>/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "0"], /^--monthly-usd must be more than 0/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd=-5"], /^--monthly-usd must be an amount/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "1.200.50"], /^--monthly-usd must be an amount/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "1", "--alert-at", "0.8,abc"], /^--alert-at must be shares/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "1", "--alert-at", "0"], /^--alert-at: each share must be more than 0 and at most 5/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "1", "--alert-at", "600%"], /^--alert-at: each share/],
    [["budget", "set", "--group-by", "tag:team", "--bucket", "value:p", "--monthly-usd", "1", "--range", "7d"], /^--range does not apply to `cost budget set`/],
    [["budget", "remove", "--group-by", "tag:team"], /^--bucket is required for `cost budget remove`/],
    [["budget", "list", "--bucket", "idle"], /^--bucket does not apply to `cost budget list`/],
    [["budget", "delete"], /unknown cost budget subcommand "delete"/],
  ])("%j is a usage error naming the flag", (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it("reads amounts exactly, with no float rounding", () => {
    // 0.1 + 0.2 would not be 0.3 in floats; the exact reader gives 300,000 µUSD.
    expect(parseMonthlyUsdFlag("0.3")).toBe(300_000);
    expect(parseMonthlyUsdFlag("19999999.999999")).toBe(19_999_999_999_999);
    expect(parseAlertAtFlag("100%,1")).toEqual([1]);
    // As typed in the console's form: a dollar sign and thousands separators are fine.
    expect(parseMonthlyUsdFlag("$1,200.50")).toBe(1_200_500_000);
  });
});

const BASE: CostSettings = { ...DEFAULT_COST_SETTINGS, budgets: [{ groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 1_000_000_000, alertAtRatios: [1] }] };

describe("budget edits", () => {
  it("withBudget replaces the budget of the same grouping and bucket, and appends a new one", () => {
    const replaced = withBudget(BASE, { groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 5, alertAtRatios: [0.5] });
    expect(replaced.index).toBe(0);
    expect(replaced.settings.budgets).toEqual([{ groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 5, alertAtRatios: [0.5] }]);
    const added = withBudget(BASE, { groupBy: "service", bucket: "idle", monthlyMicroUsd: 5, alertAtRatios: [1] });
    expect(added.index).toBe(1);
    expect(added.settings.budgets).toHaveLength(2);
    expect(BASE.budgets).toHaveLength(1);
  });

  it("withoutBudget removes exactly that budget, or says there is none", () => {
    expect(withoutBudget(BASE, "tag:team", "value:payments")?.budgets).toEqual([]);
    expect(withoutBudget(BASE, "tag:team", "value:checkout")).toBeNull();
  });

  it("validateChangedSettings names the flag when the new budget is at fault, and not otherwise", () => {
    const bad = withBudget(BASE, { groupBy: "tag:team", bucket: "value:x", monthlyMicroUsd: 1.5, alertAtRatios: [1] });
    expect(() => validateChangedSettings(bad.settings, bad.index)).toThrow(UsageError);
    expect(() => validateChangedSettings(bad.settings, bad.index)).toThrow(/^--monthly-usd: /);
    const brokenPool: CostSettings = { ...BASE, pools: [{ name: "p", services: ["AWS Lambda"], tagKey: "*", rule: { method: "even" } }] };
    const error = (() => {
      try {
        validateChangedSettings(brokenPool, 0);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).not.toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/pools\[0\]\.services\[0\]/);
  });

  it("formatBudgets lists grouping, bucket, monthly limit and thresholds", () => {
    const text = formatBudgets([{ groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 1_200_000_000, alertAtRatios: [0.8, 1] }]);
    expect(text.split("\n")).toEqual(["group by  bucket            monthly  alert at", "tag:team  value:payments  $1,200.00  80 %, 100 %"]);
    expect(formatBudgets([])).toMatch(/^No budgets\./);
  });
});

/** An in-memory settings store with the Dynamo store's version semantics. */
function fakeSettings(initial: CostSettings | null): CostCliDeps["settings"] & { stored: StoredCostSettings } {
  const state = {
    stored: { settings: initial ?? DEFAULT_COST_SETTINGS, version: initial === null ? 0 : 1, updatedBy: initial === null ? null : "fiona", updatedAtMs: initial === null ? null : 0 } as StoredCostSettings,
    async get() {
      return state.stored.settings;
    },
    async getStored() {
      return state.stored;
    },
    async putStored(settings: CostSettings, meta: { updatedBy: string; atMs: number }, expectedVersion?: number) {
      if (expectedVersion !== undefined && expectedVersion !== state.stored.version) throw new Error("version conflict");
      state.stored = { settings, version: state.stored.version + 1, updatedBy: meta.updatedBy, updatedAtMs: meta.atMs };
      return state.stored;
    },
  };
  return state;
}

const NO_VIEW = {} as CostViewDeps;

describe("runCost: budgets", () => {
  it("budget set stores the budget over the version it read, and says what it set", async () => {
    const settings = fakeSettings(BASE);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const args = parse(["budget", "set", "--group-by", "tag:env", "--bucket", "value:prod", "--monthly-usd", "250", "--alert-at", "0.9"]);
    if (args.help) throw new Error("unexpected help");
    expect(await runCost({ view: NO_VIEW, settings }, args, NOW)).toBe(0);
    expect(settings.stored.version).toBe(2);
    expect(settings.stored.updatedAtMs).toBe(NOW);
    expect(settings.stored.updatedBy).toMatch(/^cli:/);
    expect(settings.stored.settings.budgets).toEqual([...BASE.budgets, { groupBy: "tag:env", bucket: "value:prod", monthlyMicroUsd: 250_000_000, alertAtRatios: [0.9] }]);
    expect(log).toHaveBeenCalledWith("Budget set: tag:env value:prod $250.00 a month, alerts at 90 %");
  });

  it("budget remove of an unknown budget is a clear error and stores nothing", async () => {
    const settings = fakeSettings(BASE);
    const args = parse(["budget", "remove", "--group-by", "tag:team", "--bucket", "value:checkout"]);
    if (args.help) throw new Error("unexpected help");
    await expect(runCost({ view: NO_VIEW, settings }, args, NOW)).rejects.toThrow("no budget for tag:team value:checkout; `sightline cost budget list` shows them");
    expect(settings.stored.version).toBe(1);
  });

  it("budget list prints the budgets, as JSON with --json", async () => {
    const settings = fakeSettings(BASE);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const args = parse(["budget", "list", "--json"]);
    if (args.help) throw new Error("unexpected help");
    await runCost({ view: NO_VIEW, settings }, args, NOW);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual(BASE.budgets);
  });
});

describe("formatCostReport", () => {
  const view: CostView = {
    accountId: "123456789012",
    window: { fromMs: Date.UTC(2026, 10, 14), toMs: Date.UTC(2026, 10, 28) },
    groupBy: "tag:team",
    groupByOptions: ["tag:team", "service"],
    days: [],
    totals: { billMicroUsd: 1_000_000_000, allocatedMicroUsd: 1_000_000_000, unallocatedMicroUsd: 100_000_000, idleMicroUsd: 50_000_000, sharedMicroUsd: 200_000_000 },
    buckets: [
      {
        id: "value:payments",
        bucket: { kind: "value", value: "payments" },
        label: "payments",
        totalMicroUsd: 850_000_000,
        shareRatio: 0.85,
        byDay: [],
        byService: [],
        forecast: null,
        budget: null,
        anomalyCount: 1,
      },
    ],
    anomalies: [
      {
        seriesId: "value:payments",
        metric: "cost",
        dayMs: Date.UTC(2026, 10, 26),
        direction: "up",
        actual: 120_000_000,
        baseline: 40_000_000,
        delta: 80_000_000,
        ratio: 3,
        score: 6,
        likelyCause: { kind: "function", name: "payments-api", actualMicroUsd: 100_000_000, baselineMicroUsd: 25_000_000, deltaShare: 0.9375 },
      },
    ],
    forecast: null,
    reconciliation: { days: [{ dayMs: Date.UTC(2026, 10, 26), billedMicroUsd: 10_000_000, modelMicroUsd: 10_200_000, gapMicroUsd: 200_000, gapRatio: 0.02, largestGaps: [] }], billedMicroUsd: 10_000_000, modelMicroUsd: 10_200_000, gapMicroUsd: 200_000, gapRatio: 0.02, notes: ["free tier not deducted"] },
    unitCosts: { functions: [], routes: [] },
    budgets: [],
    pools: [],
    drill: {
      bucket: { kind: "value", value: "payments" },
      label: "payments",
      totalMicroUsd: 850_000_000,
      byService: [{ service: "AWS Lambda", source: "tagged", microUsd: 700_000_000 }],
      byFunction: [{ functionName: "payments-api", usageType: "Request", microUsd: 500_000_000 }],
      functionDays: 14,
    },
    freshness: { collectedAtMs: null, estimatedFromDayMs: Date.UTC(2026, 10, 26) },
    notes: [],
  };

  it("shows the window (last day included), totals, buckets, anomalies, reconciliation and the drill-down", () => {
    const text = formatCostReport(view);
    expect(text).toContain("Costs 2026-11-14 … 2026-11-27 (14 days), grouped by tag:team, account 123456789012");
    expect(text).toMatch(/Bill\s+\$1,000\.00/);
    expect(text).toMatch(/Unallocated\s+\$100\.00\s+10%/);
    expect(text).toMatch(/Idle provisioned concurrency\s+\$50\.00\s+5%/);
    expect(text).toMatch(/Shared \(split by pools\)\s+\$200\.00\s+20%/);
    expect(text).toContain("estimated by AWS from 2026-11-26");
    expect(text).toMatch(/payments\s+\$850\.00\s+85%\s+—\s+—\s+1/);
    expect(text).toContain("2026-11-26  payments: cost up to $120.00 vs $40.00 expected (3.0×); likely function payments-api (94% of the change)");
    expect(text).toContain("model $10.20, billed $10.00, gap $0.20 (2%)");
    expect(text).toContain("payments: $850.00");
    expect(text).toMatch(/payments-api\s+Request\s+\$500\.00/);
  });
});
