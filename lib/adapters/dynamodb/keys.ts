/**
 * Every access pattern of the single table, written down before the code that uses it
 * (DESIGN.md §6). Key attributes: pk (partition), sk (sort), both strings.
 *
 * | pattern                                   | pk                              | sk                                   |
 * |-------------------------------------------|---------------------------------|--------------------------------------|
 * | all functions of the fleet                | FLEET#FUNCTION                  | <account>#<region>#<name>            |
 * | one metric series of a function over time | SERIES#<account>#<region>#<name> | <Metric:Stat>#<hour ISO, e.g. 2026-11-26T13> |
 * | collector watermarks (all / one)          | WATERMARK                       | <collector>#<account>#<region>       |
 * | user by name; user count                  | USER                            | <username>                           |
 * | API token by hash                         | TOKEN                           | <sha256 hex>                         |
 *
 * A series item holds one hour: attributes m0..m59 are the minute values (absent = no
 * datapoint). Writing a minute is `SET mN = :v`, so re-writing the same datapoints is
 * idempotent and partial hours merge without a read. A 14-day chart of one series is one
 * Query of 336 items.
 */
export const FUNCTION_PK = "FLEET#FUNCTION";
export const WATERMARK_PK = "WATERMARK";
export const USER_PK = "USER";
export const TOKEN_PK = "TOKEN";

export function functionSk(accountId: string, region: string, functionName: string): string {
  return `${accountId}#${region}#${functionName}`;
}

export function seriesPk(accountId: string, region: string, functionName: string): string {
  return `SERIES#${accountId}#${region}#${functionName}`;
}

/** Sort key of the hour bucket containing hourStartMs, for one metric key id. */
export function seriesSk(metricKeyId: string, hourStartMs: number): string {
  return `${metricKeyId}#${new Date(hourStartMs).toISOString().slice(0, 13)}`;
}

/** Parses the hour start back out of a series sort key. */
export function hourStartFromSeriesSk(sk: string): number {
  const hour = sk.slice(sk.lastIndexOf("#") + 1);
  const ms = Date.parse(`${hour}:00:00.000Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a series sort key: ${sk}`);
  return ms;
}

export function watermarkSk(collector: string, accountId: string, region: string): string {
  return `${collector}#${accountId}#${region}`;
}

/** The attribute holding minute `minute` (0..59) of an hour bucket. */
export function minuteAttribute(minute: number): string {
  return `m${minute}`;
}
