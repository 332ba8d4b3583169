import type { SimModel } from "../model/minute-stats";
import { firstUnpublishedMinute, MS_PER_MINUTE } from "../model/time";
import type { CompiledQuery } from "./insights/compile-query";
import { QueryPipeline, type ResultRow } from "./insights/pipeline";
import { forEachExactRecord } from "./exact-log-records";
import type { LambdaLogRecord, LineKind } from "./lambda-log-record";
import type { LogGroup } from "./log-groups";
import { planMinute } from "./minute-log-plan";
import type { SeriesChunks } from "./series-chunks";
import { forEachWeightedRecord } from "./weighted-log-records";

/**
 * One Logs Insights query over a time range and some log groups, run a slice at a time. It
 * walks the range minute by minute (newest first unless the query sorts by @timestamp asc),
 * generating each function-minute's records from the model and streaming them through the
 * query pipeline:
 * - weighted tier (stats queries that allow it, see `CompiledQuery.weightedAllowed`): a few
 *   weighted records per function-minute (~20 instead of thousands of lines); minutes cut by
 *   the range edges still get one record per line;
 * - exact tier: one record per line, sorted by timestamp within each minute when the query's
 *   result depends on order; stops as soon as a limit is filled.
 * Slicing only decides when work happens, never what the result is.
 */

export interface QueryExecutionOptions {
  model: SimModel;
  chunks: SeriesChunks;
  groups: readonly LogGroup[];
  /** Inclusive range in epoch ms (StartQuery's startTime/endTime × 1000). */
  startMs: number;
  endMs: number;
  /** The clock when the query started: nothing at or after the first unpublished minute is read. */
  nowMs: number;
  malformedRatio: number;
  outputLimit: number;
}

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

/** Approximate bytes of each kind of line (for bytesScanned; REPORT grows with Init and XRAY). */
const LINE_BYTES: Readonly<Record<LineKind, number>> = { initStart: 150, start: 80, failure: 190, end: 60, report: 185 };
const INIT_FIELD_BYTES = 26;
const XRAY_BYTES = 100;
/** Offsets of the first and last line a minute can hold (see exact-log-records). */
const FIRST_LINE_OFFSET_MS = 1;
const LAST_LINE_OFFSET_MS = 59_999;

export class QueryExecution {
  readonly tier: "weighted" | "exact";
  private readonly pipeline: QueryPipeline;
  private readonly firstMinute: number;
  private readonly lastMinute: number;
  private readonly lastPublished: number;
  /** Next minute to generate (moves towards the far end of the range). */
  private cursor: number;
  private finished = false;
  private scanned = 0;
  private bytes = 0;
  /** Sorting within a minute is only needed when the result depends on record order. */
  private readonly ordered: boolean;
  /** Group of the current minute to generate next. */
  private groupIndex = 0;
  /** Admitted records of the current minute, awaiting the time sort (ordered queries). */
  private collected: LambdaLogRecord[] = [];
  private readonly take: (record: LambdaLogRecord) => void;

  constructor(
    private readonly query: CompiledQuery,
    private readonly options: QueryExecutionOptions,
  ) {
    this.tier = query.weightedAllowed ? "weighted" : "exact";
    this.pipeline = new QueryPipeline(query, { outputLimit: options.outputLimit });
    const { model, startMs, endMs, nowMs } = options;
    this.lastPublished = firstUnpublishedMinute(nowMs) - 1;
    this.firstMinute = Math.max(model.fleet.historyStartMinute, Math.floor(startMs / MS_PER_MINUTE));
    this.lastMinute = Math.min(this.lastPublished, Math.floor(endMs / MS_PER_MINUTE));
    this.cursor = query.sourceOrder === "desc" ? this.lastMinute : this.firstMinute;
    this.ordered = query.stages.find((stage) => stage.kind !== "filter" && stage.kind !== "fields" && stage.kind !== "parse")?.kind !== "stats";
    // Leading filters do not depend on order: run them first and sort only what passes.
    this.take = this.ordered
      ? (record) => {
        this.count(record);
        if (this.pipeline.admit(record)) this.collected.push(record);
      }
      : (record) => {
        this.count(record);
        this.pipeline.push(record);
      };
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * Generates function-minutes until `budgetMs` of wall time is used (at least one), and
   * finishes the query when the range is exhausted or a limit is filled. Returns `done`.
   */
  step(budgetMs: number): boolean {
    if (this.finished) return true;
    const began = performance.now();
    const descending = this.query.sourceOrder === "desc";
    for (;;) {
      if (this.groupIndex === 0) {
        const exhausted = descending ? this.cursor < this.firstMinute : this.cursor > this.lastMinute;
        if (exhausted || this.pipeline.saturated) {
          this.pipeline.finish();
          this.finished = true;
          return true;
        }
      }
      this.processGroupMinute(this.cursor, this.options.groups[this.groupIndex]);
      this.groupIndex++;
      if (this.groupIndex >= this.options.groups.length) {
        this.flushMinute();
        this.groupIndex = 0;
        this.cursor += descending ? -1 : 1;
      }
      if (performance.now() - began >= budgetMs) return false;
    }
  }

  /** Rows so far (all rows once done). */
  rows(): ResultRow[] {
    return this.pipeline.rows();
  }

  statistics(): QueryStatistics {
    return { recordsMatched: this.pipeline.recordsMatched, recordsScanned: this.scanned, bytesScanned: Math.round(this.bytes) };
  }

  /** Generates one group's records of one minute (one unit of work between budget checks). */
  private processGroupMinute(epochMinute: number, group: LogGroup | undefined): void {
    const { options } = this;
    if (group === undefined) return;
    const minuteStartMs = epochMinute * MS_PER_MINUTE;
    const fromMs = Math.max(options.startMs, minuteStartMs);
    const toMs = Math.min(options.endMs, minuteStartMs + LAST_LINE_OFFSET_MS);
    if (toMs < minuteStartMs + FIRST_LINE_OFFSET_MS || fromMs > toMs) return;
    const wholeMinute = fromMs <= minuteStartMs + FIRST_LINE_OFFSET_MS && toMs >= minuteStartMs + LAST_LINE_OFFSET_MS;
    const series = options.chunks.series(group.fn.name, epochMinute, this.lastPublished + 1);
    if (series === undefined) return;
    const plan = planMinute(options.model, group, series, epochMinute - series.fromMinute, options.malformedRatio);
    if (plan === undefined) return;
    const take = this.take;
    if (this.tier === "weighted" && wholeMinute) forEachWeightedRecord(plan, take);
    else forEachExactRecord(plan, fromMs, toMs, take);
  }

  /** Sorts the minute's admitted records by time (when order matters) and streams them on. */
  private flushMinute(): void {
    if (!this.ordered) return;
    const collected = this.collected;
    this.collected = [];
    // Generation order (group, invocation, line) breaks timestamp ties; descending walks it backwards.
    const indexed = collected.map((record, seq) => ({ record, seq }));
    if (this.query.sourceOrder === "desc") indexed.sort((a, b) => b.record.timestampMs - a.record.timestampMs || b.seq - a.seq);
    else indexed.sort((a, b) => a.record.timestampMs - b.record.timestampMs || a.seq - b.seq);
    for (const { record } of indexed) {
      if (this.pipeline.saturated) break;
      this.pipeline.pushAdmitted(record);
    }
  }

  private count(record: LambdaLogRecord): void {
    this.scanned += record.weight;
    let bytes = LINE_BYTES[record.kind];
    if (record.kind === "report") {
      if (record.invocation.data.initDurationMs !== undefined) bytes += INIT_FIELD_BYTES;
      if (record.invocation.group.fn.tracingMode === "Active") bytes += XRAY_BYTES;
    }
    this.bytes += bytes * record.weight;
  }
}
