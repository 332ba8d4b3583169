import { describe, expect, it } from "vitest";
import type { CostGrouping } from "@/lib/domain/cost/cost-groupings";
import { costLineId, toCostLine, type CostLine } from "@/lib/domain/cost/cost-line";
import type { CostQuery } from "@/lib/domain/cost/cost-read-plan";
import { CostDataUnavailableError, type CostAnswer, type CostSource } from "@/lib/ports/cost-source";
import type { CostLineRange, CostLineStore } from "@/lib/ports/cost-store";
import type { Watermark } from "@/lib/ports/stores";
import { collectCosts, COSTS_COLLECTOR, type CollectCostsOptions } from "@/lib/use-cases/collect-costs";
import type { CollectorContext } from "@/lib/use-cases/collector-context";

/**
 * collectCosts with in-memory fakes: a Cost Explorer whose bill the test controls (which
 * groups each period has, what they cost, up to when periods are final) and a line store and
 * watermark store that can be made to crash after any number of operations.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ACCOUNT = "123456789012";
const TODAY = Date.parse("2026-11-26T00:00:00Z");
const NOON = TODAY + 12 * HOUR;
const day = (offset: number) => TODAY + offset * DAY;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const OPTIONS: CollectCostsOptions = { allocationTagKeys: ["team"], hourly: false };

class Crash extends Error {}

/** Counts operations (API pages, item writes and deletes, watermark moves); throws once a budget runs out. */
class CrashBudget {
  operations = 0;
  constructor(private remaining: number | null = null) {}
  spend(): void {
    this.operations++;
    if (this.remaining === null) return;
    if (this.remaining <= 0) throw new Crash("simulated crash");
    this.remaining--;
  }
}

/** The groups of one period: keys → µUSD. */
type Bill = (grouping: CostGrouping, periodStartMs: number) => Array<{ keys: string[]; microUsd: number }>;

const ARN = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

/** A small account: Lambda and DynamoDB, two teams and an untagged function; amounts vary by day. */
const baseBill: Bill = (grouping, periodStartMs) => {
  const n = Math.round((periodStartMs - day(-30)) / HOUR) % 97;
  switch (grouping.id) {
    case "service-usage":
    case "hourly:service-usage":
      return [
        { keys: ["AWS Lambda", "Request"], microUsd: 200_000 + n },
        { keys: ["AWS Lambda", "Lambda-GB-Second"], microUsd: 1_666_667 + n },
        { keys: ["Amazon DynamoDB", "WriteRequestUnits"], microUsd: 125_000 + n },
      ];
    case "tag:team":
      return [
        { keys: ["AWS Lambda", "team$commerce"], microUsd: 1_500_000 + n },
        { keys: ["AWS Lambda", "team$"], microUsd: 366_667 + n },
        { keys: ["Amazon DynamoDB", "team$commerce"], microUsd: 125_000 + n },
      ];
    case "lambda-resource":
      return [
        { keys: [ARN("orders-api"), "Request"], microUsd: 150_000 + n },
        { keys: [ARN("legacy-report-generator"), "Lambda-GB-Second"], microUsd: 366_667 + n },
      ];
    default:
      return [];
  }
};

function usd(microUsd: number): string {
  const sign = microUsd < 0 ? "-" : "";
  const abs = Math.abs(microUsd);
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, "0")}`;
}

class FakeCostExplorer implements CostSource {
  readonly queries: CostQuery[] = [];
  /** Periods ending at or before this instant are final (the simulator: today's start). */
  finalThroughMs = TODAY;
  /** Periods the answer leaves out (a truncated answer). */
  omitPeriods = new Set<number>();
  pageSize = 4;
  bill: Bill = baseBill;
  budget = new CrashBudget();

  async getCostAndUsage(query: CostQuery): Promise<CostAnswer> {
    this.queries.push(query);
    const step = query.grouping.granularity === "HOURLY" ? HOUR : DAY;
    const periods = [];
    const lines: CostLine[] = [];
    for (let start = query.window.fromMs; start < query.window.toMs; start += step) {
      if (this.omitPeriods.has(start)) continue;
      const estimated = start + step > this.finalThroughMs;
      periods.push({ startMs: start, estimated });
      for (const group of this.bill(query.grouping, start)) {
        const amount = { amount: usd(group.microUsd), unit: "USD" };
        const parsed = toCostLine(query.grouping, { startMs: start, estimated }, {
          keys: group.keys,
          metrics: { UnblendedCost: amount, AmortizedCost: amount, NetUnblendedCost: amount, NetAmortizedCost: amount, UsageQuantity: { amount: "10", unit: "N/A" } },
        });
        if (parsed.kind !== "ok") throw new Error(parsed.reason);
        lines.push(parsed.line);
      }
    }
    const pagesRequested = Math.max(1, Math.ceil(lines.length / this.pageSize));
    for (let page = 0; page < pagesRequested; page++) this.budget.spend();
    return { periods, lines, pagesRequested };
  }

  pages(): number {
    return this.queries.reduce((n, q) => n + Math.max(1, Math.ceil(this.linesIn(q) / this.pageSize)), 0);
  }
  private linesIn(query: CostQuery): number {
    const step = query.grouping.granularity === "HOURLY" ? HOUR : DAY;
    let count = 0;
    for (let start = query.window.fromMs; start < query.window.toMs; start += step) count += this.omitPeriods.has(start) ? 0 : this.bill(query.grouping, start).length;
    return count;
  }
}

class FakeCostStore implements CostLineStore {
  readonly items = new Map<string, CostLine>();
  budget = new CrashBudget();
  puts = 0;
  deletes = 0;

  async readLines(range: CostLineRange): Promise<CostLine[]> {
    return [...this.items.entries()]
      .filter(([, l]) => l.groupingId === range.groupingId && l.periodStartMs >= range.window.fromMs && l.periodStartMs < range.window.toMs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, l]) => ({ ...l }));
  }
  // One operation per item: a crash can land between any two items of a batch.
  async writeLines(accountId: string, lines: readonly CostLine[]): Promise<number> {
    for (const line of lines) {
      this.budget.spend();
      this.items.set(`${accountId}|${costLineId(line)}`, { ...line });
      this.puts++;
    }
    return lines.length;
  }
  async deleteLines(accountId: string, lines: readonly CostLine[]): Promise<number> {
    for (const line of lines) {
      this.budget.spend();
      this.items.delete(`${accountId}|${costLineId(line)}`);
      this.deletes++;
    }
    return lines.length;
  }
}

class FakeWatermarks {
  readonly items = new Map<string, Watermark>();
  budget = new CrashBudget();
  async get(collector: string, accountId: string, region: string): Promise<Watermark | null> {
    return this.items.get(`${collector}#${accountId}#${region}`) ?? null;
  }
  async advance(collector: string, accountId: string, region: string, throughMs: number): Promise<void> {
    this.budget.spend();
    const key = `${collector}#${accountId}#${region}`;
    const before = this.items.get(key);
    this.items.set(key, { collector, accountId, region, throughMs, sinceMs: before?.sinceMs ?? null, lastAttemptMs: before?.lastAttemptMs ?? 0, lastSuccessMs: before?.lastSuccessMs ?? null, lastError: before?.lastError ?? null });
  }
  throughMs(): number | null {
    return this.items.get(`${COSTS_COLLECTOR}#${ACCOUNT}#global`)?.throughMs ?? null;
  }
}

function world() {
  const source = new FakeCostExplorer();
  const store = new FakeCostStore();
  const watermarks = new FakeWatermarks();
  const warnings: string[] = [];
  const progress: Array<{ done: number; total: number }> = [];
  const ctx = (nowMs: number, backfillDays = 14): CollectorContext => ({
    collector: "costs",
    accountId: ACCOUNT,
    region: "global",
    nowMs,
    backfillFromMs: nowMs - backfillDays * DAY,
    warn: (m) => warnings.push(m),
    progress: (p) => progress.push({ done: p.done, total: p.total }),
  });
  const run = (nowMs: number, options: CollectCostsOptions = OPTIONS) => collectCosts({ source, store, watermarks }, ctx(nowMs), options);
  /** Crash after `k` operations of any kind (API pages, item writes/deletes, the watermark). */
  const crashAfter = (k: number | null) => {
    const budget = new CrashBudget(k);
    source.budget = budget;
    store.budget = budget;
    watermarks.budget = budget;
    return budget;
  };
  const snapshot = () => JSON.stringify({ items: [...store.items.entries()].sort(([a], [b]) => (a < b ? -1 : 1)), watermark: watermarks.throughMs() });
  /** The TimePeriod each query of the run asked, by grouping. */
  const asked = (from = 0) => Object.fromEntries(source.queries.slice(from).map((q) => [q.grouping.id, `${q.request.TimePeriod.Start}..${q.request.TimePeriod.End}`]));
  return { source, store, watermarks, warnings, progress, run, crashAfter, snapshot, asked };
}

const linesOf = (w: ReturnType<typeof world>, groupingId: string, dayMs: number) =>
  [...w.store.items.values()].filter((l) => l.groupingId === groupingId && l.periodStartMs === dayMs);

describe("collectCosts", () => {
  it("first run: one request per grouping from the backfill day to tomorrow; watermark on the first estimated day", async () => {
    const w = world();
    const result = await w.run(NOON);
    expect(w.asked()).toEqual({
      "service-usage": "2026-11-12..2026-11-27",
      "tag:team": "2026-11-12..2026-11-27",
      "lambda-resource": "2026-11-13..2026-11-27",
    });
    expect(w.watermarks.throughMs()).toBe(TODAY);
    // 15 days × 3 + 15 × 3 + 14 × 2 lines
    expect(w.store.items.size).toBe(45 + 45 + 28);
    expect(linesOf(w, "service-usage", TODAY).every((l) => l.estimated)).toBe(true);
    expect(linesOf(w, "service-usage", day(-1)).every((l) => !l.estimated)).toBe(true);
    expect(result).toMatchObject({ outcome: "collected", window: { fromMs: day(-14), toMs: day(1) }, itemsWritten: 118 });
    expect(result.note).toBe(`15 days read, 1 still estimated, ${w.source.pages()} Cost Explorer requests`);
    expect(w.progress).toEqual([
      { done: 1, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ]);
    expect(w.warnings).toEqual([]);
  });

  it("closed days are never requested again: a later run the same day asks for today only", async () => {
    const w = world();
    await w.run(NOON);
    const before = w.source.queries.length;
    await w.run(NOON + 5 * HOUR);
    expect(w.asked(before)).toEqual({ "service-usage": "2026-11-26..2026-11-27", "tag:team": "2026-11-26..2026-11-27", "lambda-resource": "2026-11-26..2026-11-27" });
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("once a day closes it is read one last time (final), then never again", async () => {
    const w = world();
    await w.run(NOON);
    w.source.finalThroughMs = day(1);
    const n1 = w.source.queries.length;
    await w.run(day(1) + HOUR);
    expect(w.asked(n1)["service-usage"]).toBe("2026-11-26..2026-11-28");
    expect(linesOf(w, "service-usage", TODAY).every((l) => !l.estimated)).toBe(true);
    expect(linesOf(w, "service-usage", day(1)).every((l) => l.estimated)).toBe(true);
    expect(w.watermarks.throughMs()).toBe(day(1));
    const n2 = w.source.queries.length;
    await w.run(day(1) + 7 * HOUR);
    expect(w.asked(n2)["service-usage"]).toBe("2026-11-27..2026-11-28");
  });

  it("estimated days are re-read every run until Cost Explorer calls them final", async () => {
    const w = world();
    // An open billing period: the last three days (and today) are still estimates.
    w.source.finalThroughMs = day(-3);
    await w.run(NOON);
    expect(w.watermarks.throughMs()).toBe(day(-3));
    expect(linesOf(w, "tag:team", day(-3)).every((l) => l.estimated)).toBe(true);
    for (const [finalThrough, expectedStart, expectedWatermark] of [
      [day(-3), "2026-11-23", day(-3)], // nothing closed: same days again
      [day(-1), "2026-11-23", day(-1)], // two days closed
      [TODAY, "2026-11-25", TODAY],
      [TODAY, "2026-11-26", TODAY],
    ] as const) {
      w.source.finalThroughMs = finalThrough;
      const n = w.source.queries.length;
      await w.run(NOON + HOUR);
      expect(w.asked(n)["tag:team"]).toBe(`${expectedStart}..2026-11-27`);
      expect(w.watermarks.throughMs()).toBe(expectedWatermark);
    }
    expect(linesOf(w, "tag:team", day(-3)).every((l) => !l.estimated)).toBe(true);
    expect(linesOf(w, "tag:team", day(-1)).every((l) => !l.estimated)).toBe(true);
  });

  it("a re-read period is replaced whole: changed lines rewritten, groups no longer answered deleted, other periods untouched", async () => {
    const w = world();
    await w.run(NOON);
    const yesterday = linesOf(w, "tag:team", day(-1)).map(costLineId).sort();
    // Later today the untagged function's usage is re-attributed and DynamoDB's line changes.
    w.source.bill = (grouping, start) =>
      baseBill(grouping, start)
        .filter((g) => !(start === TODAY && g.keys[1] === "team$"))
        .map((g) => (start === TODAY && g.keys[0] === "Amazon DynamoDB" ? { ...g, microUsd: g.microUsd + 1 } : g));
    const result = await w.run(NOON + HOUR);
    const today = linesOf(w, "tag:team", TODAY);
    expect(today.map((l) => l.tagValue).sort()).toEqual(["commerce", "commerce"]);
    expect(today.find((l) => l.service === "Amazon DynamoDB")?.unblendedCostMicroUsd).toBe(baseBill(w.source.queries[1]!.grouping, TODAY)[2]!.microUsd + 1);
    expect(linesOf(w, "tag:team", day(-1)).map(costLineId).sort()).toEqual(yesterday);
    // Only what changed is put: the DynamoDB line of each grouping that has one.
    expect(result.itemsWritten).toBe(2);
    expect(w.store.deletes).toBe(1);
  });

  it("same nowMs twice: nothing to write the second time and the same table", async () => {
    const w = world();
    await w.run(NOON);
    const first = w.snapshot();
    const puts = w.store.puts;
    const again = await w.run(NOON);
    expect(again.itemsWritten).toBe(0);
    expect(w.store.puts).toBe(puts);
    expect(w.snapshot()).toBe(first);
  });

  it("a period missing from the answer stays open and its stored lines are left alone", async () => {
    const w = world();
    await w.run(NOON);
    w.source.finalThroughMs = day(1);
    w.source.omitPeriods = new Set([TODAY]);
    await w.run(day(1) + HOUR);
    expect(linesOf(w, "service-usage", TODAY)).toHaveLength(3);
    expect(linesOf(w, "service-usage", TODAY).every((l) => l.estimated)).toBe(true);
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("the earliest open day over all groupings holds the watermark", async () => {
    const w = world();
    const fine = w.source.getCostAndUsage.bind(w.source);
    // The per-function answer says yesterday is still an estimate; the others do not.
    w.source.getCostAndUsage = async (query) => {
      const answer = await fine(query);
      if (query.grouping.id !== "lambda-resource") return answer;
      return { ...answer, periods: answer.periods.map((p) => (p.startMs === day(-1) ? { ...p, estimated: true } : p)) };
    };
    await w.run(NOON);
    expect(w.watermarks.throughMs()).toBe(day(-1));
  });

  it("duplicate groups in an answer: the first is kept, with a warning", async () => {
    const w = world();
    w.source.bill = (grouping, start) => [...baseBill(grouping, start), ...(start === TODAY && grouping.id === "service-usage" ? [{ keys: ["AWS Lambda", "Request"], microUsd: 1 }] : [])];
    await w.run(NOON);
    expect(linesOf(w, "service-usage", TODAY).find((l) => l.usageType === "Request")?.unblendedCostMicroUsd).not.toBe(1);
    expect(w.warnings).toEqual(["Cost Explorer returned service-usage line service-usage#2026-11-26#AWS Lambda#Request twice; kept the first"]);
  });

  it("hourly where enabled: the last 14 days by hour, replaced per hour", async () => {
    const w = world();
    await w.run(NOON, { allocationTagKeys: ["team", "env"], hourly: true });
    expect(w.asked()).toEqual({
      "service-usage": "2026-11-12..2026-11-27",
      "tag:team": "2026-11-12..2026-11-27",
      "tag:env": "2026-11-12..2026-11-27",
      "lambda-resource": "2026-11-13..2026-11-27",
      "hourly:service-usage": "2026-11-13T00:00:00Z..2026-11-27T00:00:00Z",
    });
    const hourly = [...w.store.items.values()].filter((l) => l.groupingId === "hourly:service-usage");
    expect(hourly).toHaveLength(14 * 24 * 3);
    expect(hourly.filter((l) => l.estimated)).toHaveLength(24 * 3);
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("after a long outage it resumes at the watermark; 14-day data only from today − 13", async () => {
    const w = world();
    w.source.finalThroughMs = day(-30);
    await w.run(day(-30) + NOON - TODAY);
    expect(w.watermarks.throughMs()).toBe(day(-30));
    w.source.finalThroughMs = TODAY;
    const n = w.source.queries.length;
    await w.run(NOON);
    expect(w.asked(n)).toEqual({ "service-usage": "2026-10-27..2026-11-27", "tag:team": "2026-10-27..2026-11-27", "lambda-resource": "2026-11-13..2026-11-27" });
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("an error from Cost Explorer fails the run without moving the watermark", async () => {
    const w = world();
    await w.run(NOON);
    w.source.getCostAndUsage = async () => {
      throw Object.assign(new Error("Rate exceeded"), { name: "LimitExceededException" });
    };
    await expect(w.run(day(1) + HOUR)).rejects.toThrow("Rate exceeded");
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("resource-level data not enabled: that grouping is skipped with a warning, the others are stored and move the watermark", async () => {
    const w = world();
    const fine = w.source.getCostAndUsage.bind(w.source);
    w.source.getCostAndUsage = async (query) => {
      if (query.grouping.withResources) throw new CostDataUnavailableError("Cost Explorer has no GetCostAndUsageWithResources data: opt in first");
      return fine(query);
    };
    const result = await w.run(NOON);
    expect(result.outcome).toBe("collected");
    expect(result.note).toMatch(/, 1 of 3 groupings without data$/);
    expect(w.warnings).toEqual([
      "lambda-resource skipped: Cost Explorer has no GetCostAndUsageWithResources data: opt in first (is resource-level data enabled in Cost Explorer's settings?)",
    ]);
    expect([...w.store.items.values()].some((l) => l.groupingId === "lambda-resource")).toBe(false);
    expect(linesOf(w, "service-usage", day(-1))).toHaveLength(3);
    expect(w.watermarks.throughMs()).toBe(TODAY);
  });

  it("no data at all (Cost Explorer not enabled): skipped, watermark untouched", async () => {
    const w = world();
    w.source.getCostAndUsage = async () => {
      throw new CostDataUnavailableError("Cost Explorer has no GetCostAndUsage data");
    };
    const result = await w.run(NOON);
    expect(result).toMatchObject({ outcome: "skipped", itemsWritten: 0 });
    expect(w.watermarks.throughMs()).toBeNull();
  });

  describe("crash after any k operations, then a rerun: the same table as an uninterrupted run", () => {
    /** A first day: backfill at noon. A second day: yesterday closes, groups change and disappear. */
    const secondDayBill: Bill = (grouping, start) =>
      baseBill(grouping, start)
        .filter((g) => !(start >= TODAY && g.keys[0] === "Amazon DynamoDB"))
        .map((g) => (start >= TODAY ? { ...g, microUsd: g.microUsd * 2 } : g));

    async function prepared(): Promise<ReturnType<typeof world>> {
      const w = world();
      await w.run(NOON);
      w.source.finalThroughMs = day(1);
      w.source.bill = secondDayBill;
      return w;
    }

    it.each([
      { name: "first run (backfill)", setup: async () => world(), nowMs: NOON },
      { name: "next day (a day closes, groups change and vanish)", setup: prepared, nowMs: day(1) + 6 * HOUR },
    ])("$name", async ({ setup, nowMs }) => {
      const reference = await setup();
      const watermarkBefore = reference.watermarks.throughMs();
      const budget = reference.crashAfter(null);
      await reference.run(nowMs);
      const expected = reference.snapshot();
      const operations = budget.operations;
      expect(operations).toBeGreaterThan(10);

      for (let k = 0; k < operations; k++) {
        const w = await setup();
        w.crashAfter(k);
        await expect(w.run(nowMs)).rejects.toBeInstanceOf(Crash);
        // The watermark only moves as the very last step.
        expect(w.watermarks.throughMs()).toBe(watermarkBefore);
        w.crashAfter(null);
        const firstQuery = w.source.queries.length;
        await w.run(nowMs);
        expect(w.snapshot(), `crash after ${k} of ${operations} operations`).toBe(expected);
        // The rerun asks from the same first open day: no closed day is requested again.
        const starts = w.source.queries.slice(firstQuery).map((q) => q.window.fromMs);
        expect(Math.min(...starts)).toBe(watermarkBefore ?? TODAY - 14 * DAY);
      }
    });
  });

  it("days before the watermark are never part of any request, over a week of runs every 6 hours", async () => {
    const w = world();
    for (let t = NOON; t < day(7); t += 6 * HOUR) {
      w.source.finalThroughMs = Math.floor(t / DAY) * DAY;
      const watermark = w.watermarks.throughMs();
      const n = w.source.queries.length;
      await w.run(t);
      for (const query of w.source.queries.slice(n)) {
        if (watermark !== null) expect(query.window.fromMs).toBeGreaterThanOrEqual(watermark);
        expect(query.window.toMs).toBe(Math.floor(t / DAY) * DAY + DAY);
      }
    }
    // Each day is read while open, and once more after it closed: never a third time once final.
    const readsOfDay = (d: number) => w.source.queries.filter((q) => q.grouping.id === "service-usage" && q.window.fromMs <= d && d < q.window.toMs).length;
    expect(readsOfDay(day(3))).toBe(5);
    expect(iso(w.watermarks.throughMs()!)).toBe("2026-12-02");
  });
});
