import { createAccumulator, type Accumulator } from "./aggregates";
import type { CompiledQuery, Stage } from "./compile-query";
import { parseCapture } from "./parse-captures";
import { compareForSort, FieldsRecord, formatValue, isTruthy, readField, type InsightsRecord, type Value } from "./values";

/**
 * Runs a compiled query over records pushed in source order (see `CompiledQuery.sourceOrder`).
 * Each command is a stage; filter/fields/parse stream, sort and stats buffer until `finish`,
 * limit and the output cap close once full, which lets the source stop early (`saturated`).
 * The result does not depend on how the input is split into pushes.
 */

/** One result row as GetQueryResults returns it. */
export type ResultRow = { field: string; value: string }[];

interface StageRunner {
  push(record: InsightsRecord): void;
  finish(): void;
  /** No further input can change what this stage passes on. */
  readonly closed: boolean;
  /** Holds records back until finish (sort, stats). */
  readonly buffering: boolean;
}

export interface PipelineOptions {
  /** The most rows returned (StartQuery's `limit`, default 1,000). */
  outputLimit: number;
}

/** A compiled query as a chain of stages: push records in source order, `finish`, read `rows`. */
export class QueryPipeline {
  /** The leading filter/fields/parse commands: per record, order-independent. */
  private readonly prefix: StageRunnerPrefix[];
  /** Runners from the first order-dependent command to the output sink, in order. */
  private readonly chain: StageRunner[];
  private readonly sink: OutputSink;
  /** Weight of records that passed the leading filters (AWS's recordsMatched). */
  private matched = 0;

  constructor(
    private readonly query: CompiledQuery,
    options: PipelineOptions,
  ) {
    this.sink = new OutputSink(options.outputLimit);
    const { stages } = query;
    const index = stages.findIndex((stage) => !isStreaming(stage));
    const firstOrdered = index < 0 ? stages.length : index;
    this.prefix = stages.slice(0, firstOrdered).map((stage) => createPrefixStep(stage as StreamingStage));
    const chain: StageRunner[] = [this.sink];
    for (let i = stages.length - 1; i >= firstOrdered; i--) chain.unshift(createRunner(stages[i]!, chain[0]!));
    this.chain = chain;
  }

  /** Feeds one record (in source order). */
  push(record: InsightsRecord): void {
    if (this.admit(record)) this.pushAdmitted(record);
  }

  /**
   * Runs the leading filter/fields/parse commands on a record (they do not depend on order,
   * so a source may run them before sorting) and says whether it passed.
   */
  admit(record: InsightsRecord): boolean {
    for (const step of this.prefix) if (!step(record)) return false;
    this.matched += record.weight;
    return true;
  }

  /** Feeds a record that `admit` accepted (in source order). */
  pushAdmitted(record: InsightsRecord): void {
    this.chain[0]!.push(record);
  }

  /** True once no further record can change the result (a limit filled before any buffering stage). */
  get saturated(): boolean {
    for (const runner of this.chain) {
      if (runner.closed) return true;
      if (runner.buffering) return false;
    }
    return false;
  }

  get recordsMatched(): number {
    return this.matched;
  }

  /** Flushes buffering stages; call once after the last record. */
  finish(): void {
    this.chain[0]!.finish();
  }

  /** Rows produced so far (all of them after `finish`), formatted for the wire. */
  rows(): ResultRow[] {
    const { columns, timeColumns } = this.query;
    return this.sink.records.map((record) => {
      const row: ResultRow = [];
      for (const column of columns) {
        const value = formatValue(readField(record, column), timeColumns.has(column));
        if (value !== undefined) row.push({ field: column, value });
      }
      return row;
    });
  }
}

class OutputSink implements StageRunner {
  readonly records: InsightsRecord[] = [];
  readonly buffering = false;
  constructor(readonly limit: number) {}
  get closed(): boolean {
    return this.records.length >= this.limit;
  }
  push(record: InsightsRecord): void {
    if (this.records.length < this.limit) this.records.push(record);
  }
  finish(): void {}
}

function setExtra(record: InsightsRecord, name: string, value: Value): void {
  (record.extra ??= new Map()).set(name, value);
}

type StreamingStage = Extract<Stage, { kind: "filter" | "fields" | "parse" }>;
/** One leading command applied to a record: false drops it. */
type StageRunnerPrefix = (record: InsightsRecord) => boolean;

function isStreaming(stage: Stage): stage is StreamingStage {
  return stage.kind === "filter" || stage.kind === "fields" || stage.kind === "parse";
}

function createPrefixStep(stage: StreamingStage): StageRunnerPrefix {
  switch (stage.kind) {
    case "filter": {
      const { test } = stage;
      return (record) => isTruthy(test(record));
    }
    case "fields": {
      const { items } = stage;
      return (record) => {
        // Evaluate every item before assigning, so `fields a + 1 as a, a as b` reads the old a.
        const values = items.map((item) => item.evaluate(record));
        items.forEach((item, i) => setExtra(record, item.name, values[i]));
        return true;
      };
    }
    case "parse": {
      const { source, regex, names } = stage;
      // Runs of records often parse the same text (the weighted records of a function-minute
      // share their log stream): the previous text's match is reused.
      let lastText: string | undefined;
      let lastMatch: RegExpExecArray | null = null;
      return (record) => {
        const value = source(record);
        if (value === undefined) return true;
        const text = String(value);
        if (text !== lastText) {
          lastMatch = regex.exec(text);
          lastText = text;
        }
        const match = lastMatch;
        if (match !== null) {
          names.forEach((name, i) => {
            const captured = parseCapture(match, name, i);
            if (captured !== undefined) setExtra(record, name, captured);
          });
        }
        return true;
      };
    }
  }
}

/** A runner that applies streaming commands after an order-dependent one (e.g. filter after stats). */
class StreamingRunner implements StageRunner {
  readonly buffering = false;
  private readonly step: StageRunnerPrefix;
  constructor(
    stage: StreamingStage,
    private readonly next: StageRunner,
  ) {
    this.step = createPrefixStep(stage);
  }
  get closed(): boolean {
    return this.next.closed;
  }
  push(record: InsightsRecord): void {
    if (this.step(record)) this.next.push(record);
  }
  finish(): void {
    this.next.finish();
  }
}

function createRunner(stage: Stage, next: StageRunner): StageRunner {
  switch (stage.kind) {
    case "filter":
    case "fields":
    case "parse":
      return new StreamingRunner(stage, next);
    case "limit":
      return new LimitRunner(stage.count, next);
    case "dedup":
      return new DedupRunner(stage.names, next);
    case "sort":
      return new SortRunner(stage, next);
    case "stats":
      return new StatsRunner(stage, next);
  }
}

class LimitRunner implements StageRunner {
  readonly buffering = false;
  private passed = 0;
  constructor(
    readonly count: number,
    private readonly next: StageRunner,
  ) {}
  get closed(): boolean {
    return this.passed >= this.count || this.next.closed;
  }
  push(record: InsightsRecord): void {
    if (this.passed >= this.count) return;
    this.passed++;
    this.next.push(record);
  }
  finish(): void {
    this.next.finish();
  }
}

class DedupRunner implements StageRunner {
  readonly buffering = false;
  private readonly seen = new Set<string>();
  constructor(
    private readonly names: readonly string[],
    private readonly next: StageRunner,
  ) {}
  get closed(): boolean {
    return this.next.closed;
  }
  push(record: InsightsRecord): void {
    const key = this.names.map((name) => valueKey(readField(record, name))).join("\u0001");
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.next.push(record);
  }
  finish(): void {
    this.next.finish();
  }
}

/** Orders records; absent values go last whichever the direction. Stable, so ties keep source order. */
function compareRecords(keys: Extract<Stage, { kind: "sort" }>["keys"], a: Value[], b: Value[]): number {
  for (let i = 0; i < keys.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) {
      if (x === y) continue;
      return x === undefined ? 1 : -1;
    }
    const order = compareForSort(x, y);
    if (order !== 0) return keys[i]!.descending ? -order : order;
  }
  return 0;
}

class SortRunner implements StageRunner {
  readonly buffering = true;
  private entries: { keys: Value[]; record: InsightsRecord; seq: number }[] = [];
  private seq = 0;
  /** When a limit follows, only the best `bound` records can matter. */
  private readonly bound: number | undefined;

  constructor(
    private readonly stage: Extract<Stage, { kind: "sort" }>,
    private readonly next: StageRunner,
  ) {
    this.bound = next instanceof LimitRunner ? next.count : next instanceof OutputSink ? next.limit : undefined;
  }
  get closed(): boolean {
    return false;
  }
  push(record: InsightsRecord): void {
    this.entries.push({ keys: this.stage.keys.map((key) => key.evaluate(record)), record, seq: this.seq++ });
    if (this.bound !== undefined && this.entries.length > Math.max(1024, this.bound * 4)) this.sortAndTrim();
  }
  finish(): void {
    this.sortAndTrim();
    for (const entry of this.entries) {
      if (this.next.closed) break;
      this.next.push(entry.record);
    }
    this.next.finish();
  }
  private sortAndTrim(): void {
    const { keys } = this.stage;
    this.entries.sort((a, b) => compareRecords(keys, a.keys, b.keys) || a.seq - b.seq);
    if (this.bound !== undefined && this.entries.length > this.bound) this.entries.length = this.bound;
  }
}

interface Group {
  keys: Value[];
  accumulators: Accumulator[];
}

class StatsRunner implements StageRunner {
  readonly buffering = true;
  private readonly groups = new Map<string | number, Group>();
  /**
   * The group of the previous record and its `by` values: records arrive minute by minute, so
   * runs of them share a group (a 5-minute bin holds thousands in a row) and skip the lookup.
   */
  private lastGroup: Group | undefined;
  private lastKey: string | number | undefined;
  private readonly lastValues: Value[];
  private readonly values: Value[];

  constructor(
    private readonly stage: Extract<Stage, { kind: "stats" }>,
    private readonly next: StageRunner,
  ) {
    this.lastValues = stage.by.map(() => undefined);
    this.values = stage.by.map(() => undefined);
  }

  get closed(): boolean {
    return false;
  }

  push(record: InsightsRecord): void {
    const group = this.groupOf(record);
    const { slots } = this.stage;
    const { weight } = record;
    const { accumulators } = group;
    for (let i = 0; i < slots.length; i++) {
      const argument = slots[i]!.argument;
      accumulators[i]!.add(argument === undefined ? 1 : argument(record), weight);
    }
  }

  private groupOf(record: InsightsRecord): Group {
    const { by } = this.stage;
    if (by.length === 0) return this.lastGroup ?? this.group("", []);
    if (by.length === 1) {
      const value = by[0]!.evaluate(record);
      // Numbers (time bins) key the map directly; other keys are prefixed strings, so no clash.
      const key = typeof value === "number" ? value : valueKey(value);
      if (key === this.lastKey && this.lastGroup !== undefined) return this.lastGroup;
      this.lastKey = key;
      return this.group(key, [value]);
    }
    // Several keys: the previous record's group when every value is the same (then so is the joined key).
    const { values, lastValues } = this;
    let same = this.lastGroup !== undefined;
    for (let i = 0; i < by.length; i++) {
      const value = by[i]!.evaluate(record);
      values[i] = value;
      if (value !== lastValues[i]) same = false;
      lastValues[i] = value;
    }
    if (same) return this.lastGroup!;
    return this.group(values.map(valueKey).join("\u0001"), values.slice());
  }

  /** The group of `key`, created with `keys` (the values that make it) when new; becomes the last group. */
  private group(key: string | number, keys: Value[]): Group {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { keys, accumulators: this.stage.slots.map((slot) => createAccumulator(slot.spec)) };
      this.groups.set(key, group);
    }
    this.lastGroup = group;
    return group;
  }

  finish(): void {
    const { by, slots, items } = this.stage;
    const groups = [...this.groups.values()];
    // Ungrouped stats over nothing still answer one row (count(*) = 0), as AWS does.
    if (groups.length === 0 && by.length === 0) {
      groups.push({ keys: [], accumulators: slots.map((slot) => createAccumulator(slot.spec)) });
    }
    // Without a sort command: time bins newest first, other keys ascending, absent last.
    groups.sort((a, b) => {
      for (let i = 0; i < by.length; i++) {
        const x = a.keys[i];
        const y = b.keys[i];
        if (x === undefined || y === undefined) {
          if (x === y) continue;
          return x === undefined ? 1 : -1;
        }
        const order = compareForSort(x, y);
        if (order !== 0) return by[i]!.isTime ? -order : order;
      }
      return 0;
    });
    for (const group of groups) {
      if (this.next.closed) break;
      const fields: Record<string, Value> = {};
      group.accumulators.forEach((accumulator, i) => {
        fields[`\u0000${i}`] = accumulator.result();
      });
      const slotRecord = new FieldsRecord(fields);
      const row: Record<string, Value> = {};
      by.forEach((item, i) => {
        row[item.name] = group.keys[i];
      });
      for (const item of items) row[item.name] = item.evaluate(slotRecord);
      this.next.push(new FieldsRecord(row));
    }
    this.next.finish();
  }
}

function valueKey(value: Value): string {
  if (value === undefined) return "u";
  if (typeof value === "number") return `n${value}`;
  if (typeof value === "boolean") return `b${value}`;
  return `s${value}`;
}
