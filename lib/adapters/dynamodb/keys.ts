import type { CostGranularity } from "@/lib/domain/cost/cost-groupings";
import { costLineId, costLineIdPrefix, type CostLineIdentity } from "@/lib/domain/cost/cost-line";

/**
 * Every access pattern of the single table, written down before the code that uses it
 * (DESIGN.md §6). Key attributes: pk (partition), sk (sort), both strings. Hours and days
 * in keys are UTC ISO prefixes (`2026-11-26T13`, `2026-11-26`), so sort order is time order.
 *
 * | pattern                                        | pk                                   | sk                                          |
 * |------------------------------------------------|--------------------------------------|---------------------------------------------|
 * | all functions of the fleet                     | FLEET#FUNCTION                       | <account>#<region>#<name>                   |
 * | account concurrency settings, per region       | FLEET#ACCOUNT                        | <account>#<region>                          |
 * | a metric target's minute series, one hour      | METRICS#<account>#<region>#<target>  | M#<hour>                                    |
 * | a metric target's hourly series, one day       | METRICS#<account>#<region>#<target>  | H#<day>                                     |
 * | REPORT-line stats of a function, per hour      | REPORT#<account>#<region>#<name>     | H#<hour> (every version × memory size)      |
 * | service-graph snapshot of an hour, chunked     | GRAPH#<account>#<region>             | <hour>#<chunk 000…999> (serviceGraphSk)     |
 * | exemplar traces of a function, per hour        | TRACE#<account>#<region>             | <function>#<hour> (exemplarTraceSk)         |
 * | cost lines of an account, by grouping, period  | COST#<account>                       | <grouping>#<period>#<keys> (costLineSk)     |
 * | analysis per function                          | ANALYSIS#<account>#<region>          | <name>                                      |
 * | collector run ledger, by day of start          | RUN#<day>                            | <started ISO>#<collector>#<account>#<region> |
 * | collector watermarks (all / one)               | WATERMARK                            | <collector>#<account>#<region>              |
 * | the collectors' own account id                 | SETTINGS                             | own-account                                 |
 * | default SLOs imported (once)                   | SETTINGS                             | slo-seed                                    |
 * | user by name; user count                       | USER                                 | <username>                                  |
 * | API token by hash                              | TOKEN                                | <sha256 hex>                                |
 * | every SLO definition / one                     | SLO                                  | <slo id>                                    |
 * | every SLO's latest evaluation / one            | SLOSTATUS                            | <slo id>                                    |
 * | an SLO's SLI ledger: good/total per hour, day  | SLI#<slo id>                         | D#<day>; STATE (how far it is complete)     |
 * | an SLO's alert episodes, by start              | SLOALERT#<slo id>                    | <started ISO>#<severity>                    |
 * | tuning audit: all entries newest first / one    | TUNINGAUDIT                          | <entry id> = <atMs, 13 digits>-<hex>        |
 * | finance's cost settings (pools, budgets)       | SETTINGS                             | cost-settings                               |
 * | budget alerts sent in a month (all / one)      | COSTALERT#<YYYY-MM>                  | <alert key> (groupBy|bucket|month|kind|ratio) |
 * | failed sign-ins of a throttle key (TTL)        | SIGNIN#user:<name> or SIGNIN#addr:<ip> | WINDOW                                    |
 *
 * Metric items: a metric target is a function (`fn:<name>`), a provisioned-concurrency alias
 * or version (`alias:<name>:<qualifier>`) or the account/region itself (`region`). An item
 * holds one attribute per metric key (e.g. `Duration:p99`): 60 minute values (M items) or 24
 * hour values (H items) as a Binary of little-endian float64, NaN where CloudWatch had no
 * datapoint (series-codec.ts). Collectors write
 * whole items (the hour or day re-read from its start), so a rerun overwrites the same bytes
 * and a late datapoint lands on the next pass. A 14-day chart of a function is one Query of
 * 15 H items; a 3-day minute chart one Query of 72 M items.
 *
 * Cost items (collect-costs): one per Cost Explorer group and period, sk = the line's identity
 * (costLineId): grouping `service-usage` | `tag:<key>` | `lambda-resource` |
 * `hourly:service-usage`, the period (`2026-11-26`, hourly `2026-11-26T13`), then the group
 * keys (service, resource ARN, usage type, tag value; `#` and `%` escaped), e.g.
 * `tag:team#2026-11-26#AWS Lambda#commerce`. A grouping over a day range is one Query
 * (sk BETWEEN costLineSkBound(from) AND costLineSkBound(to)). Attributes: money as integer
 * micro-USD (`unblendedCostMicroUsd`, `amortizedCostMicroUsd`, `netUnblendedCostMicroUsd`,
 * `netAmortizedCostMicroUsd`), `usageQuantity` + `usageUnit`, `estimated`. A re-read period
 * is rewritten whole (put, then delete lines the answer no longer has).
 */
export const FUNCTION_PK = "FLEET#FUNCTION";
export const ACCOUNT_PK = "FLEET#ACCOUNT";
export const WATERMARK_PK = "WATERMARK";
export const SETTINGS_PK = "SETTINGS";
export const OWN_ACCOUNT_SK = "own-account";
/** When the local stack imported its scenario's default SLOs (once per table). */
export const SLO_SEED_SK = "slo-seed";
export const USER_PK = "USER";
export const TOKEN_PK = "TOKEN";
export const SLO_PK = "SLO";
export const SLO_STATUS_PK = "SLOSTATUS";

/**
 * The tuning audit log (append-only: put with attribute_not_exists, never updated or deleted).
 * One partition for the whole fleet: entries are human actions (tens a day), far below a
 * partition's throughput, and one partition makes "newest first across the fleet" a single
 * Query (ScanIndexForward false) and "one entry" a GetItem, since the id is the sort key and
 * starts with its 13-digit time. Filters by account, region or function are filter
 * expressions on that Query.
 */
export const TUNING_AUDIT_PK = "TUNINGAUDIT";

/** The SLI ledger of an SLO: one item per UTC day (sk sliDaySk) with 24 hourly good/total counts. */
export function sliLedgerPk(sloId: string): string {
  return `SLI#${sloId}`;
}

/** The ledger's progress item (sorts after every `D#` day). */
export const SLI_LEDGER_STATE_SK = "STATE";

export function sliDaySk(dayStartMs: number): string {
  return `D#${dayKey(dayStartMs)}`;
}

/** Alert episodes of an SLO, oldest first: a range of starts is one Query. */
export function sloAlertPk(sloId: string): string {
  return `SLOALERT#${sloId}`;
}

export function sloAlertSk(startedAtMs: number, severity: string): string {
  return `${new Date(startedAtMs).toISOString()}#${severity}`;
}

export function accountSk(accountId: string, region: string): string {
  return `${accountId}#${region}`;
}

export function functionSk(accountId: string, region: string, functionName: string): string {
  return `${accountId}#${region}#${functionName}`;
}

/** `2026-11-26T13`: the UTC hour of an instant, as used in sort keys. */
export function hourKey(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 13);
}

/** `2026-11-26`: the UTC day of an instant, as used in keys. */
export function dayKey(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Parses an hour (`2026-11-26T13`) or day (`2026-11-26`) key back to epoch ms. */
export function parseTimeKey(key: string): number {
  const ms = Date.parse(key.length === 10 ? `${key}T00:00:00.000Z` : `${key}:00:00.000Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an hour or day key: ${key}`);
  return ms;
}

export function metricsPk(accountId: string, region: string, targetId: string): string {
  return `METRICS#${accountId}#${region}#${targetId}`;
}

/** Sort key of the minute item of the hour starting at hourStartMs. */
export function minuteItemSk(hourStartMs: number): string {
  return `M#${hourKey(hourStartMs)}`;
}

/** Sort key of the hourly item of the day starting at dayStartMs. */
export function hourItemSk(dayStartMs: number): string {
  return `H#${dayKey(dayStartMs)}`;
}

export function reportStatsPk(accountId: string, region: string, functionName: string): string {
  return `REPORT#${accountId}#${region}#${functionName}`;
}

/**
 * Sort key of a function's REPORT-line stats for the hour starting at hourStartMs: one item
 * per hour holding a list of (version, memory size) combinations, written whole by the
 * logs-insights collector (collect-report-stats), so a rerun overwrites the same bytes.
 */
export function reportStatsSk(hourStartMs: number): string {
  return `H#${hourKey(hourStartMs)}`;
}

export function serviceGraphPk(accountId: string, region: string): string {
  return `GRAPH#${accountId}#${region}`;
}

export function exemplarTracePk(accountId: string, region: string): string {
  return `TRACE#${accountId}#${region}`;
}

/**
 * Sort key of chunk `chunk` of the service-graph snapshot of the hour starting at
 * hourStartMs. A snapshot is one to a few items (snapshot-chunks.ts); a range of hours is one
 * Query between serviceGraphSk(first, 0) and serviceGraphSk(last, MAX_CHUNKS − 1). The current
 * hour's partial snapshot has the same keys as its complete one, which replaces it.
 */
export function serviceGraphSk(hourStartMs: number, chunk: number): string {
  return `${hourKey(hourStartMs)}#${String(chunk).padStart(3, "0")}`;
}

/**
 * Sort key of a function's exemplar traces of the hour starting at hourStartMs (one item per
 * function and hour). Function first, so a node's side panel over a range is one Query.
 */
export function exemplarTraceSk(functionName: string, hourStartMs: number): string {
  return `${functionName}#${hourKey(hourStartMs)}`;
}

export function costPk(accountId: string): string {
  return `COST#${accountId}`;
}

/** Sort key of a cost line: its identity, `<grouping>#<period>#<key>[#<key>]`. */
export function costLineSk(line: CostLineIdentity): string {
  return costLineId(line);
}

/**
 * The sort key every line of the grouping from the period starting at periodStartMs on sorts
 * at or after (and every earlier line before): `<grouping>#<period>`.
 */
export function costLineSkBound(groupingId: string, granularity: CostGranularity, periodStartMs: number): string {
  return costLineIdPrefix(groupingId, granularity, periodStartMs);
}

export function analysisPk(accountId: string, region: string): string {
  return `ANALYSIS#${accountId}#${region}`;
}

export function runLedgerPk(startedAtMs: number): string {
  return `RUN#${dayKey(startedAtMs)}`;
}

export function runLedgerSk(startedAtMs: number, collector: string, accountId: string, region: string): string {
  return `${new Date(startedAtMs).toISOString()}#${collector}#${accountId}#${region}`;
}

export function watermarkSk(collector: string, accountId: string, region: string): string {
  return `${collector}#${accountId}#${region}`;
}

/**
 * Cost settings and budget alerts (issue 8; rows in the table at the top). The settings are one document replaced whole (with a `version` counter for optimistic
 * concurrency). Alert markers are append-only (put with attribute_not_exists): "already sent
 * this month?" is one Query of the month's partition, and two runs racing to send the same
 * alert are settled by the condition.
 */
export const COST_SETTINGS_SK = "cost-settings";

/** The partition of the budget alerts sent for the month starting at monthStartMs: `COSTALERT#2026-11`. */
export function costAlertPk(monthStartMs: number): string {
  return `COSTALERT#${new Date(monthStartMs).toISOString().slice(0, 7)}`;
}

/** Sort key of one sent budget alert: its dedupe key. */
export function costAlertSk(alertKey: string): string {
  return alertKey;
}

/**
 * Failed password sign-ins (issue 10; sign-in-throttle-repository.ts): one item per throttle
 * key (`user:<name>` or `addr:<ip>`), a partition each so a spraying attack cannot heat one
 * partition; `expiresAt` is the window's end, for TTL.
 */
export function signInThrottlePk(key: string): string {
  return `SIGNIN#${key}`;
}

export const SIGN_IN_THROTTLE_SK = "WINDOW";

/**
 * The table itself, as both the local `ensureTable` and the CDK Data stack create it: string
 * pk/sk, on-demand, no secondary indexes (every access pattern above is a key lookup or a
 * Query on pk), TTL on `expiresAt` (epoch seconds; the run ledger sets it and filters expired
 * items on read, since TTL deletion is lazy and dynalite never deletes).
 */
export const TABLE_DEFINITION = {
  partitionKey: "pk",
  sortKey: "sk",
  ttlAttribute: "expiresAt",
  globalSecondaryIndexes: [] as readonly { indexName: string; partitionKey: string; sortKey?: string }[],
} as const;
