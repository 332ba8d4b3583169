import { z } from "zod";
import { LAMBDA_MAX_MEMORY_MB, LAMBDA_MIN_MEMORY_MB } from "@/lib/domain/logs/report-memory-unit";

/**
 * One Lambda REPORT log line, in either log format (FACTS §3):
 * - Text: `REPORT RequestId: <id>\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\t
 *   Max Memory Used: 74 MB\tInit Duration: 166.62 ms\t…`; SnapStart lines carry
 *   `Restore Duration: … ms\tBilled Restore Duration: … ms` instead of Init Duration; a failed
 *   invocation adds `Status: timeout` or `Status: error\tError Type: Runtime.OutOfMemory`.
 * - JSON: `{"time":…,"type":"platform.report","record":{"requestId":…,"status":…,"metrics":
 *   {"durationMs","billedDurationMs","memorySizeMB","maxMemoryUsedMB","initDurationMs"?,
 *   "restoreDurationMs"?,"billedRestoreDurationMs"?}}}`.
 *
 * The product reads these fields through Logs Insights (report-stats-query.ts); this parser
 * is the same reading for a single line, used where lines arrive one by one and in tests that
 * go line → stats → summary.
 */
export interface ReportLine {
  requestId: string;
  durationMs: number;
  /** Whole ms, as Lambda bills them (rounded up). Whether it includes INIT is detected, not assumed (init-billing.ts). */
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present only on a cold start: the line of a new execution environment. */
  initDurationMs: number | null;
  /** SnapStart cold start: restoring the snapshot replaced INIT. */
  restoreDurationMs: number | null;
  /** SnapStart: the billed part of the restore (loading the runtime, after-restore hooks); null when the line omits it. */
  billedRestoreDurationMs: number | null;
  /** How the invocation ended: `success` unless the line says otherwise. */
  status: "success" | "timeout" | "error" | "failure";
  /** `Runtime.OutOfMemory` and the like, with status error. */
  errorType: string | null;
  /** JSON lines carry their own time (epoch ms); text lines take it from the log event. */
  timeMs: number | null;
}

export type ReportLineResult = { kind: "report"; format: "text" | "json"; line: ReportLine } | { kind: "invalid"; reason: string };

const TEXT_PREFIX = "REPORT RequestId: ";
const NUMBER = "(\\d+(?:\\.\\d+)?)";
/**
 * Each field by its label. Lines are tab-separated, but copies pasted from the console use
 * spaces, so a label is recognised by the word before it: `Duration:` must not be the tail of
 * `Billed Duration:`, `Init Duration:` or `Restore Duration:`, nor `Restore Duration:` the tail
 * of `Billed Restore Duration:`.
 */
const TEXT_FIELDS = {
  durationMs: new RegExp(`(?<!(?:Billed|Init|Restore) )Duration: ${NUMBER} ms`),
  billedDurationMs: new RegExp(`Billed Duration: ${NUMBER} ms`),
  memorySizeMb: new RegExp(`Memory Size: ${NUMBER} MB`),
  maxMemoryUsedMb: new RegExp(`Max Memory Used: ${NUMBER} MB`),
  initDurationMs: new RegExp(`Init Duration: ${NUMBER} ms`),
  restoreDurationMs: new RegExp(`(?<!Billed )Restore Duration: ${NUMBER} ms`),
  billedRestoreDurationMs: new RegExp(`Billed Restore Duration: ${NUMBER} ms`),
} as const;
const TEXT_LABELS: Record<keyof typeof TEXT_FIELDS, string> = {
  durationMs: "Duration",
  billedDurationMs: "Billed Duration",
  memorySizeMb: "Memory Size",
  maxMemoryUsedMb: "Max Memory Used",
  initDurationMs: "Init Duration",
  restoreDurationMs: "Restore Duration",
  billedRestoreDurationMs: "Billed Restore Duration",
};
const REQUIRED_TEXT_FIELDS = ["durationMs", "billedDurationMs", "memorySizeMb", "maxMemoryUsedMb"] as const;
const STATUS_PATTERN = /Status: (timeout|error|failure|success)\b/;
const ERROR_TYPE_PATTERN = /Error Type: ([^\t\n]+?)\s*(?:\t|$)/;

const nonNegative = z.number().finite().nonnegative();
const PlatformReportSchema = z.object({
  time: z.iso.datetime({ offset: true }).optional(),
  type: z.literal("platform.report"),
  record: z.object({
    requestId: z.string().min(1),
    status: z.enum(["success", "timeout", "error", "failure"]).optional(),
    errorType: z.string().min(1).optional(),
    metrics: z.object({
      durationMs: nonNegative,
      billedDurationMs: nonNegative,
      memorySizeMB: nonNegative,
      maxMemoryUsedMB: nonNegative,
      initDurationMs: nonNegative.optional(),
      restoreDurationMs: nonNegative.optional(),
      billedRestoreDurationMs: nonNegative.optional(),
    }),
  }),
});

/** Parses one REPORT line in the Text or JSON log format; anything else is `invalid` with the reason. */
export function parseReportLine(text: string): ReportLineResult {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return parseJsonLine(trimmed);
  if (trimmed.startsWith(TEXT_PREFIX)) return parseTextLine(trimmed);
  return { kind: "invalid", reason: "not a REPORT line (neither `REPORT RequestId:` text nor a JSON platform.report record)" };
}

function parseTextLine(text: string): ReportLineResult {
  const requestId = /^REPORT RequestId: ([0-9A-Za-z-]+)/.exec(text)?.[1];
  if (requestId === undefined) return { kind: "invalid", reason: "RequestId: missing" };
  const read = (field: keyof typeof TEXT_FIELDS): number | null => {
    const match = TEXT_FIELDS[field].exec(text);
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  for (const field of REQUIRED_TEXT_FIELDS) {
    if (read(field) === null) return { kind: "invalid", reason: `${TEXT_LABELS[field]}: missing (a line cut short?)` };
  }
  const status = (STATUS_PATTERN.exec(text)?.[1] ?? "success") as ReportLine["status"];
  return checked("text", {
    requestId,
    durationMs: read("durationMs")!,
    billedDurationMs: read("billedDurationMs")!,
    memorySizeMb: read("memorySizeMb")!,
    maxMemoryUsedMb: read("maxMemoryUsedMb")!,
    initDurationMs: read("initDurationMs"),
    restoreDurationMs: read("restoreDurationMs"),
    billedRestoreDurationMs: read("billedRestoreDurationMs"),
    status,
    errorType: ERROR_TYPE_PATTERN.exec(text)?.[1] ?? null,
    timeMs: null,
  });
}

function parseJsonLine(text: string): ReportLineResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: "not valid JSON (a line cut short?)" };
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== "platform.report") return { kind: "invalid", reason: `not a platform.report record (type ${JSON.stringify(type ?? null)})` };
  const parsed = PlatformReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "invalid", reason: `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}` };
  }
  const { time, record } = parsed.data;
  const m = record.metrics;
  return checked("json", {
    requestId: record.requestId,
    durationMs: m.durationMs,
    billedDurationMs: m.billedDurationMs,
    memorySizeMb: m.memorySizeMB,
    maxMemoryUsedMb: m.maxMemoryUsedMB,
    initDurationMs: m.initDurationMs ?? null,
    restoreDurationMs: m.restoreDurationMs ?? null,
    billedRestoreDurationMs: m.billedRestoreDurationMs ?? null,
    status: record.status ?? "success",
    errorType: record.errorType ?? null,
    timeMs: time === undefined ? null : Date.parse(time),
  });
}

/** The checks both formats share: a Lambda memory size, and not both INIT and a SnapStart restore. */
function checked(format: "text" | "json", line: ReportLine): ReportLineResult {
  if (!Number.isInteger(line.memorySizeMb) || line.memorySizeMb < LAMBDA_MIN_MEMORY_MB || line.memorySizeMb > LAMBDA_MAX_MEMORY_MB) {
    return { kind: "invalid", reason: `Memory Size: ${line.memorySizeMb} MB is not a Lambda memory size (${LAMBDA_MIN_MEMORY_MB}–${LAMBDA_MAX_MEMORY_MB} MB)` };
  }
  if (line.initDurationMs !== null && line.restoreDurationMs !== null) {
    return { kind: "invalid", reason: "Init Duration and Restore Duration together: a cold start is one or the other" };
  }
  return { kind: "report", format, line };
}
