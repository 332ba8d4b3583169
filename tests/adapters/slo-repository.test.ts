import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { StoredItemError } from "@/lib/adapters/dynamodb/item-error";
import { burnRateRulesFor } from "@/lib/domain/slo/alert-windows";
import type { AlertState } from "@/lib/domain/slo/alert-lifecycle";
import { SloExistsError, SloNotFoundError, SloVersionConflictError } from "@/lib/domain/slo/slo-errors";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import type { RuleStatus } from "@/lib/domain/slo/slo-status";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import type { SliLedgerDay } from "@/lib/ports/slo-store";
import { aSloStatus, anSlo } from "@/tests/builders/slo";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

let db: Awaited<ReturnType<typeof startTestDynamo>>;
let store: DynamoSloStore;
beforeAll(async () => {
  db = await startTestDynamo();
  store = new DynamoSloStore(db.doc, db.tableName);
});
afterAll(async () => {
  await db?.close();
});

const T = Date.UTC(2026, 10, 26, 12);

/** What a person writes: anSlo() without the audit fields the store adds. Each test uses its own id. */
function aSpec(overrides: Partial<SloSpec> = {}): SloSpec {
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, updatedBy: _b, ...spec } = anSlo(overrides);
  return spec;
}

/** The Workbook's four window pairs for 30 days as evaluated rules; `firing` for the 1h / 5m page pair only. */
function evaluatedRules(): RuleStatus[] {
  return burnRateRulesFor(30 * DAY_MS).map((rule, i) => ({
    severity: rule.severity,
    longWindowMs: rule.longWindowMs,
    shortWindowMs: rule.shortWindowMs,
    burnRateThreshold: rule.burnRateThreshold,
    longBurnRate: i === 0 ? 20 : i === 3 ? null : 0.5,
    shortBurnRate: i === 0 ? 25 : null,
    longTotal: 6_000 * (i + 1),
    firing: i === 0,
    lowTraffic: false,
  }));
}

/** A ledger day with counts only in `hours` (good = h, total = 100 + h: easy to recognise when read back). */
function ledgerDay(sloId: string, sliKey: string, dayStartMs: number, hours: readonly number[], overrides: Partial<Pick<SliLedgerDay, "good" | "total">> = {}): SliLedgerDay {
  return {
    sloId,
    sliKey,
    dayStartMs,
    good: overrides.good ?? Array.from({ length: 24 }, (_, h) => (hours.includes(h) ? h : null)),
    total: overrides.total ?? Array.from({ length: 24 }, (_, h) => (hours.includes(h) ? 100 + h : null)),
  };
}

function anAlert(overrides: Partial<AlertState> & Pick<AlertState, "startedAtMs">): AlertState {
  return { sloId: "alerting", severity: "page", status: "resolved", endedAtMs: null, notifiedAtMs: null, peakBurnRate: 15, ...overrides };
}

async function pksStartingWith(prefix: string): Promise<string[]> {
  const { Items } = await db.doc.send(new ScanCommand({ TableName: db.tableName }));
  return (Items ?? []).map((i) => `${String(i.pk)} ${String(i.sk)}`).filter((key) => key.startsWith(prefix));
}

describe("DynamoSloStore definitions", () => {
  it("creates an SLO at version 1 with its audit fields, and reads it back by id and in the list", async () => {
    const spec = aSpec({ id: "create-then-read", labels: { team: "payments" } });
    const created = await store.create(spec, "alice", T);
    // The store adds exactly: version 1, created = updated = now, updatedBy = who.
    const expected = { ...spec, version: 1, createdAtMs: T, updatedAtMs: T, updatedBy: "alice" };
    expect(created).toEqual(expected);
    expect(await store.get("create-then-read")).toEqual(expected);
    expect(await store.list()).toContainEqual(expected);
    expect(await store.get("never-created")).toBeNull();
  });

  it("refuses to create an id that exists, and leaves the stored SLO as it was", async () => {
    await store.create(aSpec({ id: "taken", name: "First" }), "alice", T);
    await expect(store.create(aSpec({ id: "taken", name: "Second" }), "bob", T + HOUR_MS)).rejects.toBeInstanceOf(SloExistsError);
    expect(await store.get("taken")).toMatchObject({ name: "First", updatedBy: "alice", version: 1, updatedAtMs: T });
  });

  it("updates with the current version: version 2, createdAtMs kept, updatedAtMs and updatedBy new", async () => {
    await store.create(aSpec({ id: "update-ok", objective: 0.999 }), "alice", T);
    const changed = aSpec({ id: "update-ok", objective: 0.995, name: "Payments, relaxed" });
    const updated = await store.update(changed, 1, "bob", T + HOUR_MS);
    const expected = { ...changed, version: 2, createdAtMs: T, updatedAtMs: T + HOUR_MS, updatedBy: "bob" };
    expect(updated).toEqual(expected);
    expect(await store.get("update-ok")).toEqual(expected);
  });

  it("rejects an update with a stale version and changes nothing", async () => {
    await store.create(aSpec({ id: "update-stale", name: "v1" }), "alice", T);
    await store.update(aSpec({ id: "update-stale", name: "v2" }), 1, "bob", T + MINUTE_MS);
    // Carol read version 1 before Bob saved.
    const conflict = store.update(aSpec({ id: "update-stale", name: "carol's" }), 1, "carol", T + 2 * MINUTE_MS);
    await expect(conflict).rejects.toBeInstanceOf(SloVersionConflictError);
    await expect(conflict).rejects.toMatchObject({ sloId: "update-stale", expectedVersion: 1 });
    expect(await store.get("update-stale")).toMatchObject({ name: "v2", version: 2, updatedBy: "bob", updatedAtMs: T + MINUTE_MS });
  });

  it("rejects an update of an id that does not exist, without creating it", async () => {
    await expect(store.update(aSpec({ id: "update-missing" }), 1, "bob", T)).rejects.toBeInstanceOf(SloNotFoundError);
    expect(await store.get("update-missing")).toBeNull();
  });
});

describe("DynamoSloStore statuses", () => {
  it("round-trips statuses with their rules, nulls and problem, and replaces one on a second put", async () => {
    const paging = aSloStatus({ sloId: "status-paging", level: "page", rules: evaluatedRules(), timeToExhaustionMs: 2 * DAY_MS, budgetRemainingRatio: -0.35 });
    const broken = aSloStatus({
      sloId: "status-problem",
      good: 0,
      total: 0,
      sliRatio: null,
      budgetRemainingRatio: null,
      currentBurnRate: null,
      coverageRatio: 0,
      problem: "no metrics collected yet for payments-api",
    });
    await store.putStatus(paging);
    await store.putStatus(broken);
    expect(await store.getStatus("status-paging")).toEqual(paging);
    expect(await store.getStatus("status-problem")).toEqual(broken);
    const listed = (await store.listStatuses()).filter((s) => s.sloId.startsWith("status-"));
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(expect.arrayContaining([paging, broken]));

    const recovered = aSloStatus({ sloId: "status-paging", level: "ok", evaluatedAtMs: T + HOUR_MS, throughMs: T + HOUR_MS });
    await store.putStatus(recovered);
    expect(await store.getStatus("status-paging")).toEqual(recovered);
    expect(await store.getStatus("status-never")).toBeNull();
  });
});

describe("DynamoSloStore SLI ledger", () => {
  const D0 = Date.UTC(2026, 10, 20);
  const D1 = D0 + DAY_MS;
  const D2 = D0 + 2 * DAY_MS;
  const D3 = D0 + 3 * DAY_MS;

  it("reads hour buckets of one SLI inside the window, skipping null hours and days of another SLI, oldest first", async () => {
    const days = [
      // Written newest first: the read must sort.
      ledgerDay("ledger", "sli-a", D3, [0, 1, 2]),
      // Hour 1 has a total but no good count: not a known hour.
      ledgerDay("ledger", "sli-a", D2, [0, 2, 3], { good: Array.from({ length: 24 }, (_, h) => ([0, 2, 3].includes(h) ? h : null)), total: Array.from({ length: 24 }, (_, h) => ([0, 1, 2, 3].includes(h) ? 100 + h : null)) }),
      // Every hour known, but of the SLI before the indicator changed.
      ledgerDay("ledger", "sli-old", D1, Array.from({ length: 24 }, (_, h) => h)),
      ledgerDay("ledger", "sli-a", D0, [20, 21, 23]),
      // Another SLO's ledger, same key and day.
      ledgerDay("ledger-other", "sli-a", D0, [21, 22, 23]),
    ];
    expect(await store.putLedgerDays(days)).toBe(5);

    // From the middle of D0's hour 21 to D2 02:00 (exclusive).
    const window = { fromMs: D0 + 21 * HOUR_MS + 30 * MINUTE_MS, toMs: D2 + 2 * HOUR_MS };
    // By hand: D0 hour 20 ends before the window; 21 overlaps it; 22 is null; 23 counts. D1 is sli-old.
    // D2 hour 0 counts; hour 1 lacks good; hour 2 starts at toMs. D3 is past the window.
    expect(await store.readLedger("ledger", "sli-a", window)).toEqual([
      { startMs: D0 + 21 * HOUR_MS, durationMs: HOUR_MS, good: 21, total: 121 },
      { startMs: D0 + 23 * HOUR_MS, durationMs: HOUR_MS, good: 23, total: 123 },
      { startMs: D2, durationMs: HOUR_MS, good: 0, total: 100 },
    ]);
    // The old SLI's day is still readable under its own key (only D1 hours 0..23 inside the window).
    const old = await store.readLedger("ledger", "sli-old", window);
    expect(old.map((b) => b.startMs)).toEqual(Array.from({ length: 24 }, (_, h) => D1 + h * HOUR_MS));
    expect(await store.readLedger("ledger", "sli-a", { fromMs: D2, toMs: D2 })).toEqual([]);
  });

  it("keeps the ledger state per SLO and replaces it on a second put", async () => {
    expect(await store.getLedgerState("ledger-state")).toBeNull();
    await store.putLedgerState({ sloId: "ledger-state", sliKey: "sli-a", throughMs: D1 });
    expect(await store.getLedgerState("ledger-state")).toEqual({ sloId: "ledger-state", sliKey: "sli-a", throughMs: D1 });
    await store.putLedgerState({ sloId: "ledger-state", sliKey: "sli-b", throughMs: D2 });
    expect(await store.getLedgerState("ledger-state")).toEqual({ sloId: "ledger-state", sliKey: "sli-b", throughMs: D2 });
    // The state item shares the ledger's partition but is never read as a day.
    await store.putLedgerDays([ledgerDay("ledger-state", "sli-b", D1, [5])]);
    expect(await store.readLedger("ledger-state", "sli-b", { fromMs: D0, toMs: D3 })).toEqual([{ startMs: D1 + 5 * HOUR_MS, durationMs: HOUR_MS, good: 5, total: 105 }]);
  });
});

describe("DynamoSloStore alert episodes", () => {
  it("replaces an episode written again, and lists firing ones plus those that started or ended since, oldest first", async () => {
    const since = T;
    const oldResolved = anAlert({ severity: "page", startedAtMs: T - 3 * DAY_MS, endedAtMs: T - 2 * DAY_MS });
    const oldFiring = anAlert({ severity: "ticket", status: "firing", startedAtMs: T - 5 * DAY_MS, notifiedAtMs: T - 5 * DAY_MS });
    const endedSince = anAlert({ severity: "page", status: "firing", startedAtMs: T - HOUR_MS, peakBurnRate: 10 });
    const startedAtSince = anAlert({ severity: "ticket", startedAtMs: since, endedAtMs: since + MINUTE_MS });
    const startedAfter = anAlert({ severity: "page", startedAtMs: T + 5 * MINUTE_MS, endedAtMs: T + 20 * MINUTE_MS });
    await store.putAlerts([oldResolved, oldFiring, endedSince, startedAtSince, startedAfter]);
    // The next evaluation ends the page episode: same start and severity, so the same item.
    const endedSinceResolved = { ...endedSince, status: "resolved" as const, endedAtMs: T + 10 * MINUTE_MS, notifiedAtMs: T - 50 * MINUTE_MS, peakBurnRate: 16 };
    await store.putAlerts([endedSinceResolved]);

    expect(await store.listAlerts("alerting", since)).toEqual([oldFiring, endedSinceResolved, startedAtSince, startedAfter]);
    // From further back every episode shows, the rewritten one once.
    expect(await store.listAlerts("alerting", 0)).toEqual([oldFiring, oldResolved, endedSinceResolved, startedAtSince, startedAfter]);
    expect(await store.listAlerts("no-alerts", 0)).toEqual([]);
  });
});

describe("DynamoSloStore delete", () => {
  it("removes the definition, status, ledger days, ledger state and alerts of one SLO only", async () => {
    const day = Date.UTC(2026, 10, 24);
    for (const id of ["doomed", "doomed-neighbour"]) {
      await store.create(aSpec({ id }), "alice", T);
      await store.putStatus(aSloStatus({ sloId: id }));
      await store.putLedgerDays([ledgerDay(id, "sli-a", day, [1]), ledgerDay(id, "sli-a", day + DAY_MS, [2])]);
      await store.putLedgerState({ sloId: id, sliKey: "sli-a", throughMs: day + 2 * DAY_MS });
      await store.putAlerts([anAlert({ sloId: id, startedAtMs: day }), anAlert({ sloId: id, severity: "ticket", status: "firing", startedAtMs: day })]);
    }

    expect(await store.delete("doomed")).toBe(true);

    const everything = { fromMs: 0, toMs: day + 10 * DAY_MS };
    expect(await store.get("doomed")).toBeNull();
    expect(await store.getStatus("doomed")).toBeNull();
    expect(await store.readLedger("doomed", "sli-a", everything)).toEqual([]);
    expect(await store.getLedgerState("doomed")).toBeNull();
    expect(await store.listAlerts("doomed", 0)).toEqual([]);
    expect(await pksStartingWith("SLI#doomed ")).toEqual([]);
    expect(await pksStartingWith("SLOALERT#doomed ")).toEqual([]);
    // The neighbour, whose id starts with the deleted one's, keeps everything.
    expect(await store.get("doomed-neighbour")).not.toBeNull();
    expect(await store.getStatus("doomed-neighbour")).not.toBeNull();
    expect(await store.readLedger("doomed-neighbour", "sli-a", everything)).toHaveLength(2);
    expect(await store.getLedgerState("doomed-neighbour")).not.toBeNull();
    expect(await store.listAlerts("doomed-neighbour", 0)).toHaveLength(2);
  });

  it("returns false for an id that does not exist", async () => {
    expect(await store.delete("never-existed")).toBe(false);
  });
});

describe("DynamoSloStore items it did not write", () => {
  /** Puts a raw item, runs `read`, and removes the item again so other tests' lists stay clean. */
  async function withRawItem(item: Record<string, unknown>, read: () => Promise<unknown>) {
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));
    try {
      const error = await read().then(
        () => null,
        (e: unknown) => e,
      );
      return error;
    } finally {
      await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
  }

  it.each([
    {
      what: "a definition whose objective is text",
      item: { pk: "SLO", sk: "bad-definition", ...aSpec({ id: "bad-definition" }), objective: "99.9%", version: 1, createdAtMs: T, updatedAtMs: T, updatedBy: "x" },
      read: () => store.get("bad-definition"),
      field: "objective",
    },
    {
      what: "a definition without a version, met while listing",
      item: { pk: "SLO", sk: "no-version", ...aSpec({ id: "no-version" }), createdAtMs: T, updatedAtMs: T, updatedBy: "x" },
      read: () => store.list(),
      field: "version",
    },
    {
      what: "a status with an unknown level",
      item: { pk: "SLOSTATUS", sk: "bad-status", ...aSloStatus({ sloId: "bad-status" }), level: "panic" },
      read: () => store.getStatus("bad-status"),
      field: "level",
    },
    {
      what: "a ledger day with 23 hours",
      item: { pk: "SLI#bad-ledger", sk: "D#2026-11-20", sloId: "bad-ledger", sliKey: "k", dayStartMs: Date.UTC(2026, 10, 20), good: Array(23).fill(1), total: Array(24).fill(1) },
      read: () => store.readLedger("bad-ledger", "k", { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 21) }),
      field: "good",
    },
    {
      what: "an alert with no start",
      item: { pk: "SLOALERT#bad-alert", sk: "2026-11-26T12:00:00.000Z#page", sloId: "bad-alert", severity: "page", status: "firing", endedAtMs: null, notifiedAtMs: null, peakBurnRate: 3 },
      read: () => store.listAlerts("bad-alert", 0),
      field: "startedAtMs",
    },
  ])("reports $what with its pk / sk and the field", async ({ item, read, field }) => {
    const error = await withRawItem(item, read);
    expect(error).toBeInstanceOf(StoredItemError);
    const message = (error as Error).message;
    expect(message).toContain(`stored item ${item.pk} / ${item.sk} is malformed`);
    expect(message).toMatch(new RegExp(`(^|[ ;])${field}: `));
  });
});
