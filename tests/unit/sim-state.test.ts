import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { provisionedBilled, provisionedReady, revisionAt, type FunctionSpec } from "@/infra/local/sim/model/fleet";
import { MinuteSeriesCache, createSimModel, type MinuteSeries, type SimModel } from "@/infra/local/sim/model/minute-stats";
import { MINUTES_PER_DAY, toEpochMinute } from "@/infra/local/sim/model/time";
import { SimStateError, createAccountWriter, openSimState, type AccountWrite } from "@/infra/local/sim/sim-state";
import { NO_FAULTS } from "@/infra/local/sim/wire";

/**
 * The account state on the model directly: writes become configuration revisions from the
 * minute they happen (the past is never rewritten), and a state file replays them exactly.
 */
const scenario = loadScenario("ecommerce");
const MS_PER_DAY = 86_400_000;
/** Friday 2026-11-27, 30 s into 12:00 UTC. */
const T = Date.UTC(2026, 10, 27, 12, 0, 30);
const WRITE_MINUTE = toEpochMinute(T);
const ANCHOR_DAY = Math.floor(T / MS_PER_DAY);
/** Lambda gives 1 vCPU per 1,769 MB (FACTS.md / DESIGN.md). */
const MB_PER_VCPU = 1769;

const tempDir = mkdtempSync(join(tmpdir(), "sightline-sim-state-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
let fileNumber = 0;
const freshFile = () => join(tempDir, `state-${++fileNumber}.json`);

const newModel = () => createSimModel(scenario, { anchorDay: ANCHOR_DAY });
const contextOf = (model: SimModel) => ({ model, now: () => T, faults: NO_FAULTS });
const declared = (name: string) => {
  const fn = scenario.functions.find((f) => f.name === name);
  if (fn === undefined) throw new Error(`scenario has no ${name}`);
  return fn;
};
const specOf = (model: SimModel, name: string): FunctionSpec => {
  const fn = model.fleet.byName.get(name);
  if (fn === undefined) throw new Error(`model has no ${name}`);
  return fn;
};
const seriesOf = (model: SimModel, name: string, fromMinute: number, length: number): MinuteSeries => {
  const series = new MinuteSeriesCache(model, fromMinute, length).series(name);
  if (series === undefined) throw new Error(`no series for ${name}`);
  return series;
};
const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

/** The users-api release declared in the scenario, and the minute it happens. */
const deploy = (() => {
  const event = scenario.events.find((e) => e.kind === "deploy" && e.functions.includes("users-api"));
  if (event?.kind !== "deploy" || event.schedule.daysAgo === undefined || event.schedule.atUtc === undefined) {
    throw new Error("the scenario no longer declares the users-api deploy with daysAgo/atUtc");
  }
  const [hours = 0, minutes = 0] = event.schedule.atUtc.split(":").map(Number);
  return { event, minute: (ANCHOR_DAY - event.schedule.daysAgo) * MINUTES_PER_DAY + hours * 60 + minutes };
})();

describe("a write becomes a revision from its minute on", () => {
  it("earlier minutes keep the scenario's configuration, the write minute and later ones get the new one", () => {
    const model = newModel();
    const writer = createAccountWriter(contextOf(model), undefined);
    writer.apply({ kind: "update-configuration", function: "notifications-worker", atMs: T, memoryMb: 1024 });

    const fn = specOf(model, "notifications-worker");
    // Before the write: 128 MB, from the scenario's notifications-memory-cut (declared 512 MB before it).
    expect(revisionAt(fn, WRITE_MINUTE - 1)).toMatchObject({ memoryMb: 128, cause: "configuration-change notifications-memory-cut" });
    expect(revisionAt(fn, WRITE_MINUTE)).toMatchObject({ fromMinute: WRITE_MINUTE, memoryMb: 1024, lastModified: "2026-11-27T12:00:30.000+0000" });
    expect(revisionAt(fn, WRITE_MINUTE + 10_000).memoryMb).toBe(1024);
    // Only the memory changed: the timeout is still the declared one.
    expect(revisionAt(fn, WRITE_MINUTE).timeoutSeconds).toBe(declared("notifications-worker").timeoutSeconds);
    expect(writer.count()).toBe(1);
    expect(writer.lastUpdateAtMs("notifications-worker")).toBe(T);
  });

  it("the model's minutes before the write equal an untouched model's; from the write on durations follow the new vCPU share", () => {
    const untouched = newModel();
    const written = newModel();
    createAccountWriter(contextOf(written), undefined).apply({ kind: "update-configuration", function: "notifications-worker", atMs: T, memoryMb: 1024 });
    const before = WRITE_MINUTE - 60;
    const a = seriesOf(untouched, "notifications-worker", before, 120);
    const b = seriesOf(written, "notifications-worker", before, 120);

    for (const column of ["invocations", "errors", "throttles", "durationLogMedian", "coldStarts", "concurrencyMaximum"] as const) {
      expect(Array.from(b[column].subarray(0, 60)), column).toEqual(Array.from(a[column].subarray(0, 60)));
    }
    expect(Array.from(b.memoryMb.subarray(60))).toEqual(new Array(60).fill(1024));

    // CPU-bound work: median = ioMs + cpuMs × arm64 factor / vCPUs, vCPUs = memory / 1,769 MB.
    // The per-minute jitter is keyed by the minute, so it cancels in the ratio.
    const { cpuMs, ioMs } = declared("notifications-worker").duration;
    const cpuFactor = specOf(written, "notifications-worker").arm64CpuFactor;
    const medianAt = (memoryMb: number) => ioMs + (cpuMs * cpuFactor) / (memoryMb / MB_PER_VCPU);
    const expectedRatio = medianAt(128) / medianAt(1024);
    expect(expectedRatio).toBeGreaterThan(5);
    for (let i = 60; i < 120; i++) {
      expect(Math.exp(a.durationLogMedian[i]! - b.durationLogMedian[i]!)).toBeCloseTo(expectedRatio, 9);
    }
    // Out-of-memory kills stop once 1 GB is configured (the function uses ~110 MB, p99 126 MB).
    expect(sum(a.oomErrors.subarray(60))).toBeGreaterThan(0);
    expect(sum(b.oomErrors.subarray(60))).toBe(0);
  });

  it("a second write in the same minute changes that minute's revision instead of adding another", () => {
    const model = newModel();
    const writer = createAccountWriter(contextOf(model), undefined);
    writer.apply({ kind: "update-configuration", function: "orders-api", atMs: T, memoryMb: 2048 });
    writer.apply({ kind: "put-function-concurrency", function: "orders-api", atMs: T + 20_000, reservedConcurrentExecutions: 40 });

    const fn = specOf(model, "orders-api");
    expect(fn.revisions.map((r) => r.fromMinute)).toEqual([Number.NEGATIVE_INFINITY, WRITE_MINUTE]);
    expect(revisionAt(fn, WRITE_MINUTE)).toMatchObject({ memoryMb: 2048, reservedConcurrency: 40 });
    expect(revisionAt(fn, WRITE_MINUTE - 1)).toMatchObject({ memoryMb: declared("orders-api").memoryMb, reservedConcurrency: undefined });
  });

  it("update-code changes the architecture and the code revision; delete-function-concurrency removes the reserve", () => {
    const model = newModel();
    const writer = createAccountWriter(contextOf(model), undefined);
    writer.apply({ kind: "update-code", function: "payments-api", atMs: T, architecture: "arm64" });
    writer.apply({ kind: "delete-function-concurrency", function: "payments-api", atMs: T + 60_000 });

    const fn = specOf(model, "payments-api");
    const initial = revisionAt(fn, WRITE_MINUTE - 1);
    expect(initial).toMatchObject({ architecture: "x86_64", reservedConcurrency: declared("payments-api").reservedConcurrency });
    expect(revisionAt(fn, WRITE_MINUTE)).toMatchObject({ architecture: "arm64", codeRevision: initial.codeRevision + 1, reservedConcurrency: 100 });
    expect(revisionAt(fn, WRITE_MINUTE + 1)).toMatchObject({ architecture: "arm64", reservedConcurrency: undefined });
  });
});

describe("writes and scheduled deploys", () => {
  // Three days before the anchor day, i.e. a day before the users-api release.
  const writeMs = (deploy.minute - MINUTES_PER_DAY) * 60_000;
  const writeMinute = toEpochMinute(writeMs);

  it("a later deploy keeps the written memory and its own duration effects, start, LastModified and code revision", () => {
    const untouched = specOf(newModel(), "users-api");
    const model = newModel();
    createAccountWriter(contextOf(model), undefined).apply({ kind: "update-configuration", function: "users-api", atMs: writeMs, memoryMb: 1024 });
    const fn = specOf(model, "users-api");
    const declaredMemory = declared("users-api").memoryMb;

    expect(revisionAt(fn, writeMinute - 1).memoryMb).toBe(declaredMemory);
    expect(revisionAt(fn, writeMinute)).toMatchObject({ memoryMb: 1024, tailMultiplier: 1, durationMultiplier: 1 });
    expect(revisionAt(fn, deploy.minute - 1).memoryMb).toBe(1024);
    const deployed = revisionAt(fn, deploy.minute);
    const originalDeploy = revisionAt(untouched, deploy.minute);
    expect(deployed).toMatchObject({
      fromMinute: deploy.minute,
      memoryMb: 1024,
      durationMultiplier: deploy.event.durationMultiplier,
      tailMultiplier: deploy.event.tailMultiplier,
      lastModified: originalDeploy.lastModified,
      codeRevision: originalDeploy.codeRevision,
    });
    expect(revisionAt(fn, deploy.minute + MINUTES_PER_DAY).memoryMb).toBe(1024);
  });

  it("the deploy's revision is still attributed to the deploy after a write before it", () => {
    const model = newModel();
    createAccountWriter(contextOf(model), undefined).apply({ kind: "update-configuration", function: "users-api", atMs: writeMs, memoryMb: 1024 });
    // ConfigRevision.cause: "What made this revision: the scenario, a deploy event, or an API call."
    expect(revisionAt(specOf(model, "users-api"), deploy.minute).cause).toBe(`deploy ${deploy.event.name}`);
  });
});

describe("provisioned concurrency writes", () => {
  it("are billed from the write minute and serve invocations from READY on, cutting spillover", () => {
    const untouched = newModel();
    const model = newModel();
    createAccountWriter(contextOf(model), undefined).apply({
      kind: "put-provisioned-concurrency",
      function: "orders-api",
      atMs: T,
      qualifier: "live",
      executions: 20,
    });
    const fn = specOf(model, "orders-api");
    const declaredPc = declared("orders-api").provisionedConcurrency[0]!;
    const initial = revisionAt(fn, WRITE_MINUTE - 1);
    expect(provisionedReady(initial, WRITE_MINUTE - 1, "live")).toBe(declaredPc.requestedExecutions);
    const written = revisionAt(fn, WRITE_MINUTE);
    expect(provisionedBilled(written, WRITE_MINUTE)).toBe(20);
    // Allocation takes two minutes (IN_PROGRESS → READY).
    expect(provisionedReady(written, WRITE_MINUTE + 2, "live")).toBe(20);

    // At 4 ready environments orders-api spills over all afternoon; with 20 it hardly does.
    const from = WRITE_MINUTE + 2;
    const before = seriesOf(untouched, "orders-api", from, 120);
    const after = seriesOf(model, "orders-api", from, 120);
    expect(Array.from(after.invocations)).toEqual(Array.from(before.invocations));
    expect(sum(before.spilloverInvocations)).toBeGreaterThan(1000);
    expect(sum(after.spilloverInvocations)).toBeLessThan(sum(before.spilloverInvocations) / 100);
    expect(sum(after.coldStarts)).toBeLessThanOrEqual(sum(before.coldStarts));
  });
});

describe("the state file", () => {
  const writes: AccountWrite[] = [
    { kind: "update-configuration", function: "notifications-worker", atMs: T, memoryMb: 1024, timeoutSeconds: 30 },
    { kind: "put-provisioned-concurrency", function: "orders-api", atMs: T + 1000, qualifier: "live", executions: 20 },
    { kind: "put-function-concurrency", function: "users-api", atMs: T + 2000, reservedConcurrentExecutions: 2 },
    { kind: "update-code", function: "orders-api", atMs: T + 65_000, architecture: "arm64" },
    { kind: "delete-provisioned-concurrency", function: "payments-api", atMs: T + 120_000, qualifier: "live" },
  ];

  it("replaying it rebuilds exactly the revisions the writes made", () => {
    const file = freshFile();
    const identity = { scenario: scenario.name, seed: scenario.seed };
    const first = newModel();
    const firstWriter = createAccountWriter(contextOf(first), openSimState(file, identity));
    for (const write of writes) firstWriter.apply(write);

    const second = newModel();
    const secondWriter = createAccountWriter(contextOf(second), openSimState(file, identity));
    secondWriter.replay();

    expect(secondWriter.count()).toBe(writes.length);
    for (const fn of first.fleet.functions) {
      expect(specOf(second, fn.name).revisions, fn.name).toEqual(fn.revisions);
    }
    expect(secondWriter.lastUpdateAtMs("orders-api")).toBe(T + 65_000);
    expect(secondWriter.lastUpdateAtMs("users-api")).toBeUndefined();
    // The replayed model computes the same minutes.
    const a = seriesOf(first, "notifications-worker", WRITE_MINUTE - 30, 90);
    const b = seriesOf(second, "notifications-worker", WRITE_MINUTE - 30, 90);
    expect(Array.from(b.durationAverageMs)).toEqual(Array.from(a.durationAverageMs));
    expect(Array.from(b.errors)).toEqual(Array.from(a.errors));
  });

  it("keeps the writes in order as JSON and the anchor day across reopening", () => {
    const file = freshFile();
    const identity = { scenario: scenario.name, seed: scenario.seed };
    const state = openSimState(file, identity);
    expect(state.anchorDay()).toBeUndefined();
    state.setAnchorDay(ANCHOR_DAY);
    for (const write of writes.slice(0, 2)) state.append(write);

    const reopened = openSimState(file, identity);
    expect(reopened.anchorDay()).toBe(ANCHOR_DAY);
    expect(reopened.writes()).toEqual(writes.slice(0, 2));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ scenario: "ecommerce", seed: scenario.seed, anchorDay: ANCHOR_DAY });
  });

  it("a write for a function the scenario does not have is skipped on replay", () => {
    const file = freshFile();
    const identity = { scenario: scenario.name, seed: scenario.seed };
    const state = openSimState(file, identity);
    state.append({ kind: "put-function-concurrency", function: "no-such-function", atMs: T, reservedConcurrentExecutions: 3 });
    state.append(writes[0]!);
    const model = newModel();
    const writer = createAccountWriter(contextOf(model), openSimState(file, identity));
    expect(() => writer.replay()).not.toThrow();
    expect(writer.count()).toBe(1);
    expect(revisionAt(specOf(model, "notifications-worker"), WRITE_MINUTE).memoryMb).toBe(1024);
  });

  it("refuses a file written for another seed or scenario, naming the file", () => {
    const file = freshFile();
    openSimState(file, { scenario: scenario.name, seed: scenario.seed }).setAnchorDay(ANCHOR_DAY);
    expect(() => openSimState(file, { scenario: scenario.name, seed: scenario.seed + 1 })).toThrow(SimStateError);
    expect(() => openSimState(file, { scenario: scenario.name, seed: scenario.seed + 1 })).toThrow(file);
    expect(() => openSimState(file, { scenario: "another-scenario", seed: scenario.seed })).toThrow(file);
  });

  it("refuses corrupt JSON and a file of the wrong shape, naming the file", () => {
    const corrupt = freshFile();
    writeFileSync(corrupt, '{"version": 1, "scenario": "ecommerce",');
    expect(() => openSimState(corrupt, { scenario: scenario.name, seed: scenario.seed })).toThrow(SimStateError);
    expect(() => openSimState(corrupt, { scenario: scenario.name, seed: scenario.seed })).toThrow(corrupt);

    const wrongShape = freshFile();
    writeFileSync(wrongShape, JSON.stringify({ version: 1, scenario: "ecommerce", seed: scenario.seed, writes: [{ kind: "resize", function: "x", atMs: 0 }] }));
    expect(() => openSimState(wrongShape, { scenario: scenario.name, seed: scenario.seed })).toThrow(wrongShape);
    expect(() => openSimState(wrongShape, { scenario: scenario.name, seed: scenario.seed })).toThrow(/writes\.0/);
  });
});
