/**
 * Values of the Logs Insights interpreter and the records it reads. A field is a string, a
 * number or a boolean, or absent (`undefined`): a missing field is never 0. Timestamps are
 * numbers (epoch ms); whether a column is a time is known statically and only matters when it
 * is formatted.
 */

export type Value = string | number | boolean | undefined;

/**
 * One log event as the interpreter sees it. `weight` is how many identical log lines the
 * record stands for (1 for a real line); every aggregate is weight-aware. `extra` holds the
 * fields a query adds (`fields … as x`, `parse`), which shadow discovered ones.
 */
export interface InsightsRecord {
  readonly weight: number;
  get(field: string): Value;
  extra?: Map<string, Value>;
  /**
   * Optional: whether the record's own @message contains `needle`, the same answer as
   * reading @message, for records that can tell without writing the message.
   */
  messageIncludes?(needle: string): boolean;
}

/** A record made of plain fields (tests, stats output rows). */
export class FieldsRecord implements InsightsRecord {
  extra?: Map<string, Value>;

  constructor(
    private readonly fields: Readonly<Record<string, Value>>,
    readonly weight = 1,
  ) {}

  get(field: string): Value {
    return Object.hasOwn(this.fields, field) ? this.fields[field] : undefined;
  }
}

/** A field of a record, query-added fields first. */
export function readField(record: InsightsRecord, name: string): Value {
  const { extra } = record;
  if (extra !== undefined) {
    const value = extra.get(name);
    if (value !== undefined) return value;
  }
  return record.get(name);
}

/**
 * Whether a record's @message contains `needle` (undefined when it has no @message), asking
 * the record first when it can answer without writing the message.
 */
export function messageIncludes(record: InsightsRecord, needle: string): boolean | undefined {
  if (record.messageIncludes !== undefined && record.extra?.get("@message") === undefined) return record.messageIncludes(needle);
  const message = readField(record, "@message");
  return message === undefined ? undefined : (typeof message === "string" ? message : String(message)).includes(needle);
}

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The number a value stands for (numeric strings included; booleans are 1/0), else undefined. */
export function toNumber(value: Value): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** Truthiness in `filter`: true, non-zero numbers and non-empty strings. */
export function isTruthy(value: Value): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  return typeof value === "string" && value.length > 0;
}

/**
 * Orders two present values for `=`, `<`, ...: numerically when either is a number and the
 * other reads as one (parsed fields are strings: `filter latency > 100` must still work),
 * otherwise as strings. Undefined when either is absent.
 */
export function compareForFilter(a: Value, b: Value): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (typeof a !== "string" || typeof b !== "string") {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * AWS's sort order (ascending): non-numbers first, in "natural" order (digit runs compared by
 * length, then value; other characters by code point), then numbers by value.
 */
export function compareForSort(a: Value, b: Value): number {
  const x = typeof a === "string" ? undefined : toNumber(a);
  const y = typeof b === "string" ? undefined : toNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (x !== undefined) return 1;
  if (y !== undefined) return -1;
  return naturalCompare(String(a), String(b));
}

const CHUNK = /\d+|\D+/g;

function naturalCompare(a: string, b: string): number {
  const left = a.match(CHUNK) ?? [];
  const right = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const p = left[i]!;
    const q = right[i]!;
    if (p === q) continue;
    const pDigits = p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57;
    const qDigits = q.charCodeAt(0) >= 48 && q.charCodeAt(0) <= 57;
    if (pDigits && qDigits) {
      if (p.length !== q.length) return p.length - q.length;
      return p < q ? -1 : 1;
    }
    return p < q ? -1 : 1;
  }
  return left.length - right.length;
}

/** `2026-11-27 12:00:01.000`, the way Logs Insights shows @timestamp and bin() values. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("T", " ").replace("Z", "");
}

/** A value as GetQueryResults returns it (always a string); undefined stays absent. */
export function formatValue(value: Value, isTime: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    return isTime ? formatTimestamp(value) : String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return value;
}
