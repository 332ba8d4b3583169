import { MICRO_USD_PER_USD, type MicroUsd } from "@/lib/domain/cost/micro-usd";
import { bucketId, type AllocationBucket, type CostExportRow } from "@/lib/domain/cost/cost-types";
import { DAY_MS } from "@/lib/domain/shared/time";

/**
 * The showback exports (issue 8): the allocated rows of a window as a plain CSV and as a
 * FOCUS 1.0-style CSV. Pure: the API route and the CLI write the text.
 *
 * Format decisions, shared by both:
 * - RFC 4180: fields separated by `,`, records ended by CRLF (the RFC's line break, which
 *   Excel and every CSV parser read), the last record ended too; a field holding `,`, `"`, CR
 *   or LF is quoted and its quotes doubled. UTF-8 without a byte-order mark, so the first
 *   header name stays exactly what machines expect.
 * - Money is written from the integer micro-USD with exactly six decimals (formatMicroUsd):
 *   reading the amounts back with integer math gives the page's totals to the micro-dollar.
 * - No total line: every record is a row of the same shape, so the file stays machine-readable.
 * - Formula injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`,
 *   tab or CR gets a leading `'`, so a spreadsheet shows it as text instead of evaluating it.
 *   Money cells are never touched (a credit is "-0.000001", a number, and must stay one).
 * - Rows sorted by day, allocation, service (then source, pool, account): the same rows give
 *   the same bytes.
 */

const CRLF = "\r\n";

/** The columns of the plain export, in order. */
export const COST_CSV_COLUMNS = [
  "date",
  "account_id",
  "group_by",
  "allocation",
  "bucket_kind",
  "service",
  "source",
  "pool",
  "cost_usd",
  "effective_cost_usd",
  "estimated",
] as const;

/** The columns of the FOCUS export, in order: FOCUS 1.0 names, then Sightline's `x_` columns. */
export const FOCUS_CSV_COLUMNS = [
  "BilledCost",
  "EffectiveCost",
  "ListCost",
  "ContractedCost",
  "BillingCurrency",
  "BillingPeriodStart",
  "BillingPeriodEnd",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ChargeCategory",
  "ChargeFrequency",
  "ChargeDescription",
  "ProviderName",
  "PublisherName",
  "InvoiceIssuerName",
  "ServiceName",
  "ServiceCategory",
  "SubAccountId",
  "Tags",
  "x_AllocationGroupBy",
  "x_AllocationBucket",
  "x_AllocationSource",
  "x_SharedCostPool",
  "x_Estimated",
] as const;

/**
 * Integer micro-USD as an exact decimal USD string with six decimals: 0 → "0.000000",
 * -1 → "-0.000001", 12_345_678 → "12.345678". Integer arithmetic only (the amount is a safe
 * integer, so `/` and `%` on it are exact). Throws RangeError on anything that is not a safe
 * integer: money that is not whole micro-dollars is a bug upstream, not something to round here.
 */
export function formatMicroUsd(microUsd: MicroUsd): string {
  if (!Number.isSafeInteger(microUsd)) throw new RangeError(`formatMicroUsd: ${microUsd} is not a whole number of micro-USD`);
  const magnitude = Math.abs(microUsd);
  const whole = Math.floor(magnitude / MICRO_USD_PER_USD);
  const fraction = magnitude % MICRO_USD_PER_USD;
  return `${microUsd < 0 ? "-" : ""}${whole}.${String(fraction).padStart(6, "0")}`;
}

/** First characters a spreadsheet reads as the start of a formula (OWASP), tab and CR included. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets: a leading `'` when it could start a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: quoted (quotes doubled) when the field holds `,`, `"`, CR or LF. */
function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** A text cell: neutralised, then quoted. */
function text(value: string): string {
  return quoteField(neutralizeFormula(value));
}

/** A money cell: exact decimal, never neutralised (it is a number). */
function money(microUsd: MicroUsd): string {
  return formatMicroUsd(microUsd);
}

function toCsv(header: readonly string[], records: string[][]): string {
  return [header.join(","), ...records.map((r) => r.join(","))].join(CRLF) + CRLF;
}

/** Code-unit order: deterministic, independent of the locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the `allocation` column shows: the tag value or service, or `unallocated` / `idle` (bucket_kind tells them apart). */
function allocationName(bucket: AllocationBucket): string {
  return bucket.kind === "value" ? bucket.value : bucket.kind;
}

/** Rows in export order: day, allocation, service, then source, pool and account as tie-breaks. */
export function sortExportRows(rows: readonly CostExportRow[]): CostExportRow[] {
  return [...rows].sort(
    (a, b) =>
      a.dayMs - b.dayMs ||
      compareText(allocationName(a.bucket), allocationName(b.bucket)) ||
      compareText(a.bucket.kind, b.bucket.kind) ||
      compareText(a.service, b.service) ||
      compareText(a.source, b.source) ||
      compareText(a.pool ?? "", b.pool ?? "") ||
      compareText(a.accountId, b.accountId),
  );
}

/** `2026-11-26` of a UTC day. */
function isoDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/** ISO 8601 UTC to the second, as FOCUS writes date-times: `2026-11-26T00:00:00Z`. */
function isoDateTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * The plain showback CSV: header `date,account_id,group_by,allocation,bucket_kind,service,
 * source,pool,cost_usd,effective_cost_usd,estimated`, one record per row (see the module
 * comment for quoting, money and ordering). `cost_usd` is the billed (unblended) amount,
 * `effective_cost_usd` the net amortized one; Σ cost_usd over the file is the window's bill.
 */
export function toCostCsv(rows: readonly CostExportRow[]): string {
  const records = sortExportRows(rows).map((row) => [
    isoDate(row.dayMs),
    text(row.accountId),
    text(row.groupBy),
    text(allocationName(row.bucket)),
    row.bucket.kind,
    text(row.service),
    row.source,
    text(row.pool ?? ""),
    money(row.billedMicroUsd),
    money(row.effectiveMicroUsd),
    row.estimated ? "true" : "false",
  ]);
  return toCsv(COST_CSV_COLUMNS, records);
}

/**
 * FOCUS ServiceCategory of a Cost Explorer SERVICE name: Lambda → Compute, API Gateway →
 * Networking, DynamoDB → Databases, SQS / SNS / EventBridge (and CloudWatch Events, its old
 * name) → Integration, CloudWatch / X-Ray → Management and Governance, anything else → Other.
 */
export function focusServiceCategory(service: string): string {
  if (/lambda/i.test(service)) return "Compute";
  if (/api gateway/i.test(service)) return "Networking";
  if (/dynamodb/i.test(service)) return "Databases";
  if (/simple queue service|\bsqs\b|simple notification service|\bsns\b|eventbridge|cloudwatch events/i.test(service)) return "Integration";
  if (/cloudwatch|x-ray/i.test(service)) return "Management and Governance";
  return "Other";
}

/** The first instant of the UTC month containing dayMs, and of the month after it. */
function billingPeriod(dayMs: number): { startMs: number; endMs: number } {
  const day = new Date(dayMs);
  return { startMs: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1), endMs: Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1) };
}

/** `{"team":"payments"}`: the row's tags as a JSON object, keys sorted so the same tags give the same text. */
function tagsJson(tags: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(tags).sort(compareText)) sorted[key] = tags[key]!;
  return JSON.stringify(sorted);
}

/** "AWS Lambda allocated to payments (tagged)"; unallocated and idle by their kind. */
function chargeDescription(row: CostExportRow): string {
  return `${row.service} allocated to ${allocationName(row.bucket)} (${row.source})`;
}

/**
 * The FOCUS 1.0-style CSV (FOCUS_CSV_COLUMNS): one charge per row, ChargeCategory Usage,
 * ChargeFrequency Usage-Based, currency USD, provider / publisher / invoice issuer AWS.
 *
 * - BilledCost is the allocated UnblendedCost, EffectiveCost the allocated NetAmortizedCost.
 * - ListCost = BilledCost and ContractedCost = EffectiveCost: Cost Explorer's lines carry no
 *   public list price or negotiated rate, so these are the nearest amounts it does carry;
 *   a consumer comparing them sees no discount rather than a made-up one.
 * - Periods are ISO 8601 UTC, end exclusive (as FOCUS defines them): the charge period is the
 *   row's day, the billing period its calendar month.
 * - SubAccountId is the account the cost was billed to; BillingAccountId (the payer) is left
 *   out because the allocated lines do not say which it is.
 * - Tags is the JSON object of the allocation tag of the row ({} when there is none).
 * - x_AllocationBucket is the bucket id (`value:payments`, `unallocated`, `idle`), so a value
 *   named "idle" is not mistaken for the idle bucket.
 */
export function toFocusCsv(rows: readonly CostExportRow[]): string {
  const records = sortExportRows(rows).map((row) => {
    const period = billingPeriod(row.dayMs);
    return [
      money(row.billedMicroUsd),
      money(row.effectiveMicroUsd),
      money(row.billedMicroUsd),
      money(row.effectiveMicroUsd),
      "USD",
      isoDateTime(period.startMs),
      isoDateTime(period.endMs),
      isoDateTime(row.dayMs),
      isoDateTime(row.dayMs + DAY_MS),
      "Usage",
      "Usage-Based",
      text(chargeDescription(row)),
      "AWS",
      "AWS",
      "AWS",
      text(row.service),
      focusServiceCategory(row.service),
      text(row.accountId),
      text(tagsJson(row.tags)),
      text(row.groupBy),
      text(bucketId(row.bucket)),
      row.source,
      text(row.pool ?? ""),
      row.estimated ? "true" : "false",
    ];
  });
  return toCsv(FOCUS_CSV_COLUMNS, records);
}

/** Σ billed µUSD of rows: what the export's cost column adds up to (the CLI and tests report it). */
export function sumBilledMicroUsd(rows: readonly CostExportRow[]): MicroUsd {
  return rows.reduce((sum, row) => sum + row.billedMicroUsd, 0);
}

/** The two export formats. */
export const COST_EXPORT_FORMATS = ["csv", "focus"] as const;
export type CostExportFormat = (typeof COST_EXPORT_FORMATS)[number];

/**
 * The export's file name: `sightline-costs-<groupBy>-<from>-<to>.csv`, FOCUS
 * `sightline-costs-focus-<groupBy>-<from>-<to>.csv`; `to` exclusive, as in the URL
 * (`from=2026-11-01&to=2026-11-15` is the first 14 days). Characters other than letters,
 * digits, `.`, `_` and `-` become `-` (`tag:team` → `tag-team`): `:` is not allowed in Windows
 * file names, and the name goes into a Content-Disposition header.
 */
export function costExportFilename(format: CostExportFormat, groupBy: string, window: { fromMs: number; toMs: number }): string {
  const safeGroupBy = groupBy.replace(/[^A-Za-z0-9._-]/g, "-");
  return `sightline-costs-${format === "focus" ? "focus-" : ""}${safeGroupBy}-${isoDate(window.fromMs)}-${isoDate(window.toMs)}.csv`;
}

/** The export of rows in a format. */
export function toCostExport(format: CostExportFormat, rows: readonly CostExportRow[]): string {
  return format === "focus" ? toFocusCsv(rows) : toCostCsv(rows);
}
