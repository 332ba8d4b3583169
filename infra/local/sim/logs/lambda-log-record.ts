import type { SimModel } from "../model/minute-stats";
import { requestIdFor, segmentIdFor, traceIdFor } from "../model/invocation-ids";
import { hashInts3 } from "../model/random";
import type { InsightsRecord, Value } from "./insights/values";
import {
  cutReportLine,
  discoverReportFields,
  formatReportLine,
  reportedMbToBytes,
  reportLineBody,
  reportLineHead,
  reportLineIncludes,
  reportLineXray,
  type ReportValues,
} from "./lambda-report";
import { logStreamName, type LogGroup } from "./log-groups";

/**
 * Log lines of Lambda invocations as Insights records. An `InvocationLog` holds what one
 * invocation (or, for weighted records, one stratum of a minute's invocations) wrote; its
 * lines are `LambdaLogRecord`s that build their text and ids only when a query reads them.
 */

/** How an invocation ended. */
export type Outcome = "ok" | "timeout" | "oom" | "error";

/** The lines an invocation writes, in the order it writes them. */
export const LINE_KINDS = ["initStart", "start", "failure", "end", "report"] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/**
 * Look-alike ids shared by the weighted records of one function-minute, and the parts of their
 * REPORT lines written from them (each filled on first use).
 */
export interface RepresentativeIds {
  requestId: string | undefined;
  xray: NonNullable<ReportValues["xray"]> | undefined;
  reportHead: string | undefined;
  reportXray: string | undefined;
}

export interface InvocationData {
  epochMinute: number;
  /** Index of the invocation in its minute (start order); weighted records use an index past the minute's count. */
  index: number;
  /** When the invocation began (its X-Ray trace start, INIT included), epoch ms, fractional. */
  startMs: number;
  durationMs: number;
  initDurationMs: number | undefined;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  outcome: Outcome;
  sampled: boolean;
  /** Set when the REPORT line is malformed: where (0..1 of its fields) it is cut. */
  cutRatio: number | undefined;
  /** Execution environment slot (its log stream). */
  streamSlot: number;
  /** Picks the error message of a failed invocation. */
  variant: number;
  /**
   * Set on weighted records (each stands for many lines): their ids only fill the @message
   * text, so the strata of a function-minute share one cheap look-alike request id instead of
   * ids X-Ray knows (a query reading ids never gets weighted records).
   */
  representative: RepresentativeIds | undefined;
}

const TIMEOUT_STATUS: ReportValues["status"] = { status: "timeout" };
const OUT_OF_MEMORY_STATUS: ReportValues["status"] = { status: "error", errorType: "Runtime.OutOfMemory" };

/** The REPORT line's Status of an outcome (function errors have none). */
function statusOf(outcome: Outcome): ReportValues["status"] {
  return outcome === "timeout" ? TIMEOUT_STATUS : outcome === "oom" ? OUT_OF_MEMORY_STATUS : undefined;
}

const ERROR_MESSAGES = [
  "Downstream dependency timed out",
  "ConditionalCheckFailedException: The conditional request failed",
  "Invalid request payload",
  "Connection reset by peer",
] as const;

/** What one invocation (or one weighted stratum) wrote; ids and texts are built on first use and kept. */
export class InvocationLog {
  private cachedRequestId: string | undefined;
  private cachedReport: ReportValues | undefined;
  private cachedReportMessage: string | undefined;
  private cachedCutFields: Record<string, Value> | undefined;

  constructor(
    readonly model: SimModel,
    readonly group: LogGroup,
    readonly data: InvocationData,
  ) {}

  get requestId(): string {
    if (this.cachedRequestId !== undefined) return this.cachedRequestId;
    const { data, group, model } = this;
    const shared = data.representative;
    if (shared !== undefined) {
      this.cachedRequestId = shared.requestId ??= lookAlikeUuid(hashInts3(model.seed, group.fn.nameHash, data.epochMinute), data.index);
    } else {
      this.cachedRequestId = requestIdFor(model, group.fn, data.epochMinute, data.index);
    }
    return this.cachedRequestId;
  }

  /** The REPORT line's values (ids computed on first use). */
  get report(): ReportValues {
    if (this.cachedReport !== undefined) return this.cachedReport;
    const { data, group, model } = this;
    const traced = group.fn.tracingMode === "Active";
    this.cachedReport = {
      requestId: this.requestId,
      durationMs: data.durationMs,
      billedDurationMs: data.billedDurationMs,
      memorySizeMb: data.memorySizeMb,
      maxMemoryUsedMb: data.maxMemoryUsedMb,
      initDurationMs: data.initDurationMs,
      status: statusOf(data.outcome),
      xray: !traced
        ? undefined
        : data.representative !== undefined
          ? (data.representative.xray ??= lookAlikeTrace(this.requestId, data.startMs, data.sampled))
          : {
            traceId: traceIdFor(model, group.fn, data.epochMinute, data.index, data.startMs / 1000),
            segmentId: segmentIdFor(model, group.fn, data.epochMinute, data.index),
            sampled: data.sampled,
          },
    };
    return this.cachedReport;
  }

  get reportMessage(): string {
    if (this.cachedReportMessage !== undefined) return this.cachedReportMessage;
    const report = this.report;
    const shared = this.data.representative;
    // The strata of a function-minute share their ids: write the id parts once per minute.
    const full = shared === undefined
      ? formatReportLine(report)
      : (shared.reportHead ??= reportLineHead(report.requestId)) + reportLineBody(report) +
        (report.xray === undefined ? "" : (shared.reportXray ??= reportLineXray(report.xray)));
    this.cachedReportMessage = this.data.cutRatio === undefined ? full : cutReportLine(full, this.data.cutRatio);
    return this.cachedReportMessage;
  }

  /**
   * Whether the REPORT line contains `needle`: the same answer as `reportMessage.includes`,
   * but for the usual needles (a field name, a status) from the line's values, without writing
   * the line or its ids (see reportLineIncludes).
   */
  reportIncludes(needle: string): boolean {
    const { data } = this;
    if (this.cachedReportMessage !== undefined || data.cutRatio !== undefined) return this.reportMessage.includes(needle);
    const xraySampled = this.group.fn.tracingMode === "Active" ? data.sampled : undefined;
    return reportLineIncludes(needle, data.initDurationMs !== undefined, statusOf(data.outcome), xraySampled, this) ??
      this.reportMessage.includes(needle);
  }

  /** The XRAY ids of the REPORT line (undefined without active tracing). */
  get xray(): ReportValues["xray"] {
    return this.report.xray;
  }

  /** Fields of a malformed REPORT line: whatever Insights can still read in it. */
  get cutReportFields(): Record<string, Value> {
    return (this.cachedCutFields ??= discoverReportFields(this.reportMessage) ?? {});
  }

  /** The text of a failure line (timeout, out of memory, or the runtime's error line). */
  failureMessage(timestampMs: number): string {
    const id = this.requestId;
    const { data, group } = this;
    const iso = new Date(timestampMs).toISOString();
    if (data.outcome === "timeout") return `${iso} ${id} Task timed out after ${(data.durationMs / 1000).toFixed(2)} seconds`;
    if (data.outcome === "oom") return `RequestId: ${id} Error: Runtime exited with error: signal: killed\nRuntime.ExitError`;
    const message = ERROR_MESSAGES[data.variant % ERROR_MESSAGES.length]!;
    switch (group.runtimeFamily) {
      case "node":
        return `${iso}\t${id}\tERROR\tInvoke Error \t${JSON.stringify({
          errorType: "Error",
          errorMessage: message,
          stack: [`Error: ${message}`, "    at Runtime.handler (file:///var/task/index.mjs:42:11)"],
        })}`;
      case "python":
        return `[ERROR] RuntimeError: ${message}\nTraceback (most recent call last):\n  File "/var/task/app.py", line 42, in lambda_handler\n    raise RuntimeError("${message}")`;
      case "java":
        return `${message}: java.lang.RuntimeException\njava.lang.RuntimeException: ${message}\n\tat com.example.Handler.handleRequest(Handler.java:42)`;
      case "other":
        return `${iso}\t${id}\tERROR\t${JSON.stringify({ errorType: "Error", errorMessage: message })}`;
    }
  }

  /** Whether the failure line names the request (Python and Java runtimes print no id). */
  get failureHasRequestId(): boolean {
    return this.data.outcome !== "error" || this.group.runtimeFamily === "node" || this.group.runtimeFamily === "other";
  }
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 8 hex digits of a 32-bit value (table lookups: Number#toString(16) is slow on hot paths). */
function hex8(value: number): string {
  return HEX_BYTES[(value >>> 24) & 255]! + HEX_BYTES[(value >>> 16) & 255]! + HEX_BYTES[(value >>> 8) & 255]! + HEX_BYTES[value & 255]!;
}

/** A UUID-shaped id for a representative record. */
function lookAlikeUuid(key: number, index: number): string {
  const a = hashInts3(key, index, 1);
  const b = hashInts3(a, index, 2);
  const c = hashInts3(b, index, 3);
  const d = hashInts3(c, index, 4);
  const h = hex8(a) + hex8(b) + hex8(c) + hex8(d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Trace and segment ids shaped like X-Ray's for a representative record. */
function lookAlikeTrace(requestId: string, startMs: number, sampled: boolean): NonNullable<ReportValues["xray"]> {
  const hex = requestId.replaceAll("-", "");
  return { traceId: `1-${hex8(Math.floor(startMs / 1000))}-${hex.slice(0, 24)}`, segmentId: hex.slice(16, 32), sampled };
}

/** Delay between a line's timestamp and its ingestion: 0.2–1.0 s, fixed per line. */
function ingestionDelayMs(index: number, kind: LineKind, epochMinute: number): number {
  return 200 + (((index * 7919 + LINE_KINDS.indexOf(kind) * 104_729 + epochMinute) % 800) + 800) % 800;
}

/** One log line (or `weight` identical lines) of an invocation. */
export class LambdaLogRecord implements InsightsRecord {
  extra?: Map<string, Value>;
  private cachedMessage: string | undefined;

  constructor(
    readonly invocation: InvocationLog,
    readonly kind: LineKind,
    readonly timestampMs: number,
    readonly weight: number,
  ) {}

  /** Whether @message contains `needle` (REPORT lines answer without writing the line when they can). */
  messageIncludes(needle: string): boolean {
    return this.kind === "report" ? this.invocation.reportIncludes(needle) : this.message.includes(needle);
  }

  get message(): string {
    if (this.cachedMessage !== undefined) return this.cachedMessage;
    const inv = this.invocation;
    switch (this.kind) {
      case "initStart":
        this.cachedMessage = inv.group.initStartMessage;
        break;
      case "start":
        this.cachedMessage = `START RequestId: ${inv.requestId} Version: ${inv.group.versionLabel}`;
        break;
      case "end":
        this.cachedMessage = `END RequestId: ${inv.requestId}`;
        break;
      case "report":
        this.cachedMessage = inv.reportMessage;
        break;
      case "failure":
        this.cachedMessage = inv.failureMessage(this.timestampMs);
        break;
    }
    return this.cachedMessage;
  }

  get(field: string): Value {
    const inv = this.invocation;
    switch (field) {
      case "@timestamp":
        return this.timestampMs;
      case "@message":
        return this.message;
      case "@log":
        return inv.group.logField;
      case "@logStream":
        return logStreamName(inv.model, inv.group, inv.data.epochMinute, inv.data.streamSlot);
      case "@ingestionTime":
        return this.timestampMs + ingestionDelayMs(inv.data.index, this.kind, inv.data.epochMinute);
      default:
        break;
    }
    switch (this.kind) {
      case "start":
      case "end":
        if (field === "@type") return this.kind === "start" ? "START" : "END";
        return field === "@requestId" ? inv.requestId : undefined;
      case "report":
        return inv.data.cutRatio === undefined ? intactReportField(inv, field) : inv.cutReportFields[field];
      case "failure":
        return field === "@requestId" && inv.failureHasRequestId ? inv.requestId : undefined;
      case "initStart":
        return undefined;
    }
  }
}

/** A field of an intact REPORT line, read from the values it was written from. */
function intactReportField(inv: InvocationLog, field: string): Value {
  const { data } = inv;
  switch (field) {
    case "@type":
      return "REPORT";
    case "@requestId":
      return inv.requestId;
    case "@duration":
      return data.durationMs;
    case "@billedDuration":
      return data.billedDurationMs;
    case "@memorySize":
      return reportedMbToBytes(data.memorySizeMb);
    case "@maxMemoryUsed":
      return reportedMbToBytes(data.maxMemoryUsedMb);
    case "@initDuration":
      return data.initDurationMs;
    case "@xrayTraceId":
      return inv.report.xray?.traceId;
    case "@xraySegmentId":
      return inv.report.xray?.segmentId;
    default:
      return undefined;
  }
}
