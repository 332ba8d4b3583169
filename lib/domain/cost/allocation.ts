import { apportion, apportionByPercent, apportionEvenly } from "@/lib/domain/cost/apportion";
import { LAMBDA_SERVICE } from "@/lib/domain/cost/cost-groupings";
import {
  bucketId,
  type AllocatedDay,
  type AllocationBucket,
  type AllocationDayInput,
  type AllocationRow,
  type AllocationSource,
  type CostGroupBy,
  type CostPool,
  type FunctionLine,
} from "@/lib/domain/cost/cost-types";
import { microUsdToUsd, type MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * Cost allocation of one UTC day (issue 8): the day's bill, line by line, assigned to the
 * values of one tag key (or to services), to `unallocated`, or to `idle` — so that the rows
 * add up to the bill exactly, to the micro-dollar. Every split goes through `apportion`
 * (apportion.ts), whose largest-remainder rule is the product's only remainder rule.
 *
 * The algorithm, for groupBy tag:<key> (groupBy service is the same with one bucket per service):
 *
 * a. The bill: B_s = Σ bill lines of service s. Nothing else is ever allocated, so the rows
 *    sum to Σ_s B_s whatever the other inputs say.
 * b. Tagged cost: B_s is split over the tag values ("" = untagged) in proportion to the
 *    [SERVICE, TAG:key] lines of s. Cost Explorer rounds each grouping on its own, so Σ tagged
 *    may miss B_s by a few µUSD; the split makes it exact. A service with no tagged lines (or
 *    only zero ones) is all untagged. If the tagged amounts of one service mix signs (a
 *    tagged credit), each value keeps its tagged amount and only the difference to B_s is
 *    apportioned by |amount| — the same result as the proportional split when signs agree.
 * c. Untagged cost of s: when a pool applying to the key lists s, it is split among the tag
 *    values by the pool's rule (a pool of the grouped key wins over a "*" pool):
 *    - even: equal parts to every value with positive directly tagged cost that day;
 *    - proportional "cost": by each value's directly tagged cost that day (all services, from b);
 *    - proportional "requests" / "gb-seconds": by each value's Lambda requests or GB-s that
 *      day, from the per-function lines of functions carrying the value (GB-s = on-demand
 *      plus provisioned duration; the PC allocation itself is not usage);
 *    - fixed: by the percentages, including values that had no cost that day (finance named them).
 *    A rule with nothing to split by (no tagged value that day, no usage, no per-function
 *    lines beyond Cost Explorer's 14 days) leaves the amount in `unallocated` with a note:
 *    no made-up split. Untagged cost no pool takes is `unallocated` (source "untagged").
 *    AWS Lambda is never shared (cost-settings.ts): an untagged function is unallocated.
 * d. Idle: each function's idle PC (idle-capacity.ts), functions by name, moves from the bucket
 *    its tags put it in (`unallocated` without the tag) to `idle`, at most what that bucket
 *    still holds of AWS Lambda that day (then a note says so).
 * e. Functions: each bucket's AWS Lambda amount (after idle) is apportioned over the
 *    per-function lines of the functions its tags put in it, weighted by their µUSD, the
 *    idle part of their PC lines taken out; `idle` lists the idle PC per function. A bucket
 *    whose Lambda cost has no function lines (tags changed since, function deleted) shows it
 *    under UNATTRIBUTED_FUNCTION, with a note. null without per-function lines.
 * f. Rows are merged per (bucket, service, source, pool), zero rows dropped, sorted by bucket
 *    id, service, source and pool.
 */

/** The function name a bucket's Lambda cost goes under when no function line of the bucket explains it (never a real name: Lambda names have no parentheses). */
export const UNATTRIBUTED_FUNCTION = "(unattributed)";
/** Usage type shown for idle PC of a function whose PC lines are not among the day's function lines. */
const DEFAULT_PC_USAGE_TYPE = "Lambda-Provisioned-Concurrency";

// ── Lambda usage types ────────────────────────────────────────────────────────────────────

export type LambdaUsageKind = "requests" | "duration" | "provisioned-duration" | "provisioned-concurrency" | "other";

/** A billing region code before a usage type: `USE2-`, `EU-`, `APN1-` (upper-case letters, optional digits). */
const REGION_PREFIX = /^[A-Z]{2,4}[0-9]{0,2}-/;

/**
 * What a Lambda usage type bills, with AWS's region prefix (`USE2-`, `EU-`) and architecture
 * suffix (`-ARM`) stripped and case ignored: `Request` → requests, `Lambda-GB-Second` →
 * on-demand duration, `Lambda-Provisioned-GB-Second` → duration on PC,
 * `Lambda-Provisioned-Concurrency` → the PC allocation; Lambda@Edge's `Lambda-Edge-Request` /
 * `Lambda-Edge-GB-Second` count as requests / duration; any other usage type in the unit
 * `Requests` is requests; everything else (ephemeral storage, SnapStart, data transfer) is other.
 */
export function lambdaUsageKind(usageType: string, usageUnit: string): LambdaUsageKind {
  const name = usageType.trim().replace(REGION_PREFIX, "").replace(/-ARM$/i, "").toLowerCase();
  switch (name) {
    case "request":
    case "requests":
    case "lambda-edge-request":
      return "requests";
    case "lambda-gb-second":
    case "lambda-edge-gb-second":
      return "duration";
    case "lambda-provisioned-gb-second":
      return "provisioned-duration";
    case "lambda-provisioned-concurrency":
      return "provisioned-concurrency";
  }
  return usageUnit.trim().toLowerCase() === "requests" ? "requests" : "other";
}

// ── Allocation of a day ───────────────────────────────────────────────────────────────────

const SOURCE_ORDER: readonly AllocationSource[] = ["tagged", "untagged", "shared", "idle"];
const UNALLOCATED: AllocationBucket = { kind: "unallocated" };
const IDLE: AllocationBucket = { kind: "idle" };

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertMicroUsd(amount: number, field: string): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${field} must be a whole number of µUSD, got ${amount}`);
}

function addTo<K>(map: Map<K, number>, key: K, amount: number, field: string): void {
  const sum = (map.get(key) ?? 0) + amount;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`${field}: the sum exceeds 2^53 − 1 µUSD`);
  map.set(key, sum);
}

function usd(microUsd: number): string {
  return `$${microUsdToUsd(microUsd).toFixed(6)}`;
}

/** Rows being built, merged per (bucket, service, source, pool). */
class RowBook {
  private readonly rows = new Map<string, AllocationRow>();

  add(bucket: AllocationBucket, service: string, source: AllocationSource, microUsd: number, pool?: string): void {
    if (microUsd === 0) return;
    const key = `${bucketId(bucket)}\u001f${rowKey(service, source, pool)}`;
    const row = this.rows.get(key);
    if (row) row.microUsd += microUsd;
    else this.rows.set(key, { bucket, service, source, ...(pool === undefined ? {} : { pool }), microUsd });
  }

  /** Σ of the bucket's rows of a service (all sources but idle). */
  held(bucket: AllocationBucket, service: string): number {
    let sum = 0;
    for (const row of this.rowsOf(bucket, service)) sum += row.microUsd;
    return sum;
  }

  /** Takes `amount` (≤ held) out of the bucket's rows of a service, tagged first, then untagged, then shared. */
  take(bucket: AllocationBucket, service: string, amount: number): void {
    let left = amount;
    for (const row of this.rowsOf(bucket, service)) {
      if (left === 0) break;
      if (row.microUsd <= 0) continue;
      const taken = Math.min(row.microUsd, left);
      row.microUsd -= taken;
      left -= taken;
    }
    if (left !== 0) throw new Error(`internal: could not take ${amount} µUSD of ${service} from ${bucketId(bucket)}`);
  }

  /** Σ of every bucket's rows of a service, per bucket id. */
  byBucket(service: string): Map<string, { bucket: AllocationBucket; microUsd: number }> {
    const totals = new Map<string, { bucket: AllocationBucket; microUsd: number }>();
    for (const row of this.rows.values()) {
      if (row.service !== service) continue;
      const id = bucketId(row.bucket);
      const entry = totals.get(id) ?? { bucket: row.bucket, microUsd: 0 };
      entry.microUsd += row.microUsd;
      totals.set(id, entry);
    }
    return totals;
  }

  result(): AllocationRow[] {
    return [...this.rows.values()].filter((r) => r.microUsd !== 0).sort(compareRows);
  }

  private rowsOf(bucket: AllocationBucket, service: string): AllocationRow[] {
    const id = bucketId(bucket);
    return [...this.rows.values()]
      .filter((r) => r.service === service && r.source !== "idle" && bucketId(r.bucket) === id)
      .sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) || compareStrings(a.pool ?? "", b.pool ?? ""));
  }
}

/** Within a bucket, the key rows merge under (and the inner key of totalsByBucketService): service, source and pool. */
export function rowKey(service: string, source: AllocationSource, pool?: string): string {
  return [service, source, pool ?? ""].join("\u001f");
}

function compareRows(a: AllocationRow, b: AllocationRow): number {
  return (
    compareStrings(bucketId(a.bucket), bucketId(b.bucket)) ||
    compareStrings(a.service, b.service) ||
    SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
    compareStrings(a.pool ?? "", b.pool ?? "")
  );
}

/** Splits a service's bill over its tagged amounts per value ("" = untagged); see step b. */
function splitServiceBill(billMicroUsd: number, taggedByValue: Map<string, number> | undefined): Map<string, number> {
  const entries = [...(taggedByValue ?? new Map<string, number>()).entries()].filter(([, amount]) => amount !== 0);
  if (entries.length === 0) return new Map([["", billMicroUsd]]);
  const allSameSign = entries.every(([, a]) => a > 0) || entries.every(([, a]) => a < 0);
  const weights = entries.map(([key, amount]) => ({ key, weight: Math.abs(amount) }));
  if (allSameSign) return apportion(billMicroUsd, weights);
  // Mixed signs: keep each tagged amount, apportion only the difference to the bill.
  const taggedSum = entries.reduce((sum, [, a]) => sum + a, 0);
  const extra = apportion(billMicroUsd - taggedSum, weights);
  return new Map(entries.map(([key, amount]) => [key, amount + extra.get(key)!]));
}

type PoolSplit = { kind: "split"; shares: Map<string, number> } | { kind: "no-target"; reason: string };

interface PoolBasis {
  /** Directly tagged cost per value that day, all services (step b). */
  taggedByValue: Map<string, number>;
  /** Lambda requests / GB-s per value from function lines; null without function lines. */
  usage: { requests: Map<string, number>; gbSeconds: Map<string, number> } | null;
}

function splitPool(pool: CostPool, amount: number, basis: PoolBasis, tagKey: string): PoolSplit {
  const rule = pool.rule;
  const positive = (values: Map<string, number>) =>
    [...values.entries()].filter(([, v]) => v > 0).map(([key, weight]) => ({ key, weight }));
  switch (rule.method) {
    case "even": {
      const values = positive(basis.taggedByValue).map((w) => w.key);
      if (values.length === 0) return { kind: "no-target", reason: `no ${tagKey} value had tagged cost that day` };
      return { kind: "split", shares: apportionEvenly(amount, values) };
    }
    case "proportional": {
      if (rule.basis === "cost") {
        const weights = positive(basis.taggedByValue);
        if (weights.length === 0) return { kind: "no-target", reason: `no ${tagKey} value had tagged cost that day` };
        return { kind: "split", shares: apportion(amount, weights) };
      }
      if (basis.usage === null) return { kind: "no-target", reason: `splitting by ${rule.basis} needs per-function lines, which Cost Explorer keeps for 14 days` };
      const weights = positive(rule.basis === "requests" ? basis.usage.requests : basis.usage.gbSeconds);
      if (weights.length === 0) return { kind: "no-target", reason: `no function tagged with ${tagKey} had Lambda ${rule.basis} that day` };
      return { kind: "split", shares: apportion(amount, weights) };
    }
    case "fixed":
      try {
        return { kind: "split", shares: apportionByPercent(amount, rule.percentages) };
      } catch (error) {
        return { kind: "no-target", reason: error instanceof Error ? error.message : String(error) };
      }
  }
}

/**
 * Allocates one day's bill to the buckets of a grouping (see the module comment for the
 * algorithm): rows that add up to Σ bill exactly, the Lambda cost of each bucket per function
 * and usage type, and notes where something could not go by the rules. `pools` are the
 * settings' pools (poolsFor filters them; only pools of the grouped key or "*" are used, and
 * none for groupBy service). Throws a RangeError for an amount that is not a whole number of
 * µUSD, naming the field.
 */
export function allocateDay(input: AllocationDayInput, groupBy: CostGroupBy, pools: readonly CostPool[]): AllocatedDay {
  const notes = new Set<string>();
  const tagKey = groupBy.kind === "tag" ? groupBy.key : null;

  // a. The bill.
  const billByService = new Map<string, number>();
  let billMicroUsd = 0;
  input.bill.forEach((line, i) => {
    assertMicroUsd(line.microUsd, `bill[${i}].microUsd`);
    addTo(billByService, line.service, line.microUsd, "bill");
    billMicroUsd += line.microUsd;
  });
  if (!Number.isSafeInteger(billMicroUsd)) throw new RangeError("bill: the sum exceeds 2^53 − 1 µUSD");
  const services = [...billByService.keys()].sort(compareStrings);

  const bucketOfTags = (tags: Record<string, string>): AllocationBucket => {
    if (tagKey === null) return { kind: "value", value: LAMBDA_SERVICE };
    const value = tags[tagKey];
    return value === undefined || value === "" ? UNALLOCATED : { kind: "value", value };
  };

  const book = new RowBook();
  // b. Tagged cost.
  const untaggedByService = new Map<string, number>();
  const taggedByValue = new Map<string, number>();
  if (tagKey === null) {
    for (const service of services) book.add({ kind: "value", value: service }, service, "tagged", billByService.get(service)!);
  } else {
    const taggedLines = new Map<string, Map<string, number>>();
    input.tagged.forEach((line, i) => {
      assertMicroUsd(line.microUsd, `tagged[${i}].microUsd`);
      const byValue = taggedLines.get(line.service) ?? new Map<string, number>();
      addTo(byValue, line.tagValue, line.microUsd, `tagged[${i}]`);
      taggedLines.set(line.service, byValue);
    });
    for (const service of [...taggedLines.keys()].sort(compareStrings)) {
      if (!billByService.has(service) && [...taggedLines.get(service)!.values()].some((a) => a !== 0)) {
        notes.add(`${service} has tagged cost but no line in the day's bill; the bill is what is allocated.`);
      }
    }
    for (const service of services) {
      const split = splitServiceBill(billByService.get(service)!, taggedLines.get(service));
      for (const [value, amount] of [...split.entries()].sort(([a], [b]) => compareStrings(a, b))) {
        if (value === "") untaggedByService.set(service, amount);
        else {
          book.add({ kind: "value", value }, service, "tagged", amount);
          taggedByValue.set(value, (taggedByValue.get(value) ?? 0) + amount);
        }
      }
    }
  }

  // c. Untagged cost: shared by a pool, or unallocated.
  if (tagKey !== null) {
    const applicable = pools.filter((pool) => pool.tagKey === "*" || pool.tagKey === tagKey);
    const basis: PoolBasis = { taggedByValue, usage: usageByValue(input.functions, tagKey) };
    for (const service of services) {
      const amount = untaggedByService.get(service) ?? 0;
      if (amount === 0) continue;
      const pool =
        service === LAMBDA_SERVICE
          ? undefined
          : (applicable.find((p) => p.tagKey === tagKey && p.services.includes(service)) ?? applicable.find((p) => p.services.includes(service)));
      if (service === LAMBDA_SERVICE && applicable.some((p) => p.services.includes(service))) {
        notes.add(`${LAMBDA_SERVICE} is never shared: its untagged cost stays unallocated.`);
      }
      if (pool === undefined) {
        book.add(UNALLOCATED, service, "untagged", amount);
        continue;
      }
      const split = splitPool(pool, amount, basis, tagKey);
      if (split.kind === "no-target") {
        notes.add(`Pool "${pool.name}" could not split ${usd(amount)} of ${service}: ${split.reason}; it stays unallocated.`);
        book.add(UNALLOCATED, service, "untagged", amount);
        continue;
      }
      for (const [value, share] of [...split.shares.entries()].sort(([a], [b]) => compareStrings(a, b))) {
        // A percentage naming "" (settings refuse it) would name no value: it stays unallocated.
        if (value === "") book.add(UNALLOCATED, service, "untagged", share);
        else book.add({ kind: "value", value }, service, "shared", share, pool.name);
      }
    }
  }

  // d. Idle provisioned concurrency.
  const idleByFunction = new Map<string, number>();
  const idleEntries = input.idle
    .map((entry, i) => {
      assertMicroUsd(entry.idleMicroUsd, `idle[${i}].idleMicroUsd`);
      return entry;
    })
    .filter((entry) => entry.idleMicroUsd > 0)
    .sort((a, b) => compareStrings(a.functionName, b.functionName));
  for (const entry of idleEntries) {
    const bucket = bucketOfTags(entry.tags);
    const held = book.held(bucket, LAMBDA_SERVICE);
    const moved = Math.max(0, Math.min(entry.idleMicroUsd, held));
    if (moved < entry.idleMicroUsd) {
      notes.add(
        `Idle provisioned concurrency of ${entry.functionName} (${usd(entry.idleMicroUsd)}) is more than ${bucketId(bucket)} holds of ${LAMBDA_SERVICE} that day; ${usd(moved)} moved to idle.`,
      );
    }
    if (moved === 0) continue;
    book.take(bucket, LAMBDA_SERVICE, moved);
    book.add(IDLE, LAMBDA_SERVICE, "idle", moved);
    idleByFunction.set(entry.functionName, (idleByFunction.get(entry.functionName) ?? 0) + moved);
  }

  // e. Lambda per function within each bucket.
  const functions = input.functions === null ? null : allocateFunctions(input.functions, book.byBucket(LAMBDA_SERVICE), idleByFunction, bucketOfTags, notes);

  // f. Rows.
  const rows = book.result();
  const allocated = rows.reduce((sum, r) => sum + r.microUsd, 0);
  if (allocated !== billMicroUsd) throw new Error(`internal: allocated ${allocated} µUSD of a ${billMicroUsd} µUSD bill`);
  return { dayMs: input.dayMs, estimated: input.estimated, billMicroUsd, rows, functions, notes: [...notes] };
}

/** Lambda requests and GB-s (on-demand + provisioned duration) per tag value, from the function lines. */
function usageByValue(lines: readonly FunctionLine[] | null, tagKey: string): PoolBasis["usage"] {
  if (lines === null) return null;
  const requests = new Map<string, number>();
  const gbSeconds = new Map<string, number>();
  for (const line of lines) {
    const value = line.tags[tagKey];
    if (value === undefined || value === "" || !Number.isFinite(line.usageQuantity) || line.usageQuantity <= 0) continue;
    const kind = lambdaUsageKind(line.usageType, line.usageUnit);
    if (kind === "requests") requests.set(value, (requests.get(value) ?? 0) + line.usageQuantity);
    else if (kind === "duration" || kind === "provisioned-duration") gbSeconds.set(value, (gbSeconds.get(value) ?? 0) + line.usageQuantity);
  }
  return { requests, gbSeconds };
}

type FunctionAmount = NonNullable<AllocatedDay["functions"]>[number];

/** Step e: each bucket's Lambda amount over its functions' lines; the idle bucket per function's PC. */
function allocateFunctions(
  lines: readonly FunctionLine[],
  lambdaByBucket: Map<string, { bucket: AllocationBucket; microUsd: number }>,
  idleByFunction: Map<string, number>,
  bucketOfTags: (tags: Record<string, string>) => AllocationBucket,
  notes: Set<string>,
): FunctionAmount[] {
  // Per function and usage type: its µUSD (lines of one pair summed) and its bucket.
  const byFunction = new Map<string, { bucket: AllocationBucket; usage: Map<string, number> }>();
  lines.forEach((line, i) => {
    assertMicroUsd(line.microUsd, `functions[${i}].microUsd`);
    const entry = byFunction.get(line.functionName) ?? { bucket: bucketOfTags(line.tags), usage: new Map<string, number>() };
    addTo(entry.usage, line.usageType, line.microUsd, `functions[${i}]`);
    byFunction.set(line.functionName, entry);
  });

  const result: FunctionAmount[] = [];
  // Idle PC per function over its PC lines; those parts come out of the lines' weights.
  const weightsByBucket = new Map<string, { key: string; functionName: string; usageType: string; weight: number }[]>();
  for (const [functionName, { bucket, usage }] of byFunction) {
    const idle = idleByFunction.get(functionName) ?? 0;
    const pcLines = [...usage.entries()].filter(([usageType]) => lambdaUsageKind(usageType, "") === "provisioned-concurrency");
    const idleByLine = idle > 0 && pcLines.length > 0 ? apportion(idle, pcLines.map(([key, amount]) => ({ key, weight: Math.max(0, amount) }))) : new Map<string, number>();
    const id = bucketId(bucket);
    const weights = weightsByBucket.get(id) ?? [];
    for (const [usageType, amount] of usage) {
      weights.push({ key: `${functionName}\u0000${usageType}`, functionName, usageType, weight: Math.max(0, amount - (idleByLine.get(usageType) ?? 0)) });
    }
    weightsByBucket.set(id, weights);
    if (idle > 0) {
      if (pcLines.length === 0) result.push({ bucket: IDLE, functionName, usageType: DEFAULT_PC_USAGE_TYPE, microUsd: idle });
      for (const [usageType, amount] of idleByLine) result.push({ bucket: IDLE, functionName, usageType, microUsd: amount });
    }
  }
  for (const [functionName, idle] of idleByFunction) {
    if (!byFunction.has(functionName)) result.push({ bucket: IDLE, functionName, usageType: DEFAULT_PC_USAGE_TYPE, microUsd: idle });
  }

  for (const [id, { bucket, microUsd }] of lambdaByBucket) {
    if (bucket.kind === "idle" || microUsd === 0) continue;
    const weights = weightsByBucket.get(id) ?? [];
    if (weights.length === 0) {
      notes.add(`${usd(microUsd)} of ${LAMBDA_SERVICE} in ${id} matches no function line of that day (tags changed or function deleted); shown as ${UNATTRIBUTED_FUNCTION}.`);
      result.push({ bucket, functionName: UNATTRIBUTED_FUNCTION, usageType: "", microUsd });
      continue;
    }
    const shares = apportion(microUsd, weights);
    for (const w of weights) result.push({ bucket, functionName: w.functionName, usageType: w.usageType, microUsd: shares.get(w.key)! });
  }

  return result
    .filter((f) => f.microUsd !== 0)
    .sort(
      (a, b) => compareStrings(bucketId(a.bucket), bucketId(b.bucket)) || compareStrings(a.functionName, b.functionName) || compareStrings(a.usageType, b.usageType),
    );
}

// ── Sums over days (for the view, exports and budgets) ────────────────────────────────────

/** Σ rows per bucket id over the days. */
export function totalsByBucket(days: readonly AllocatedDay[]): Map<string, MicroUsd> {
  const totals = new Map<string, MicroUsd>();
  for (const day of days) for (const row of day.rows) totals.set(bucketId(row.bucket), (totals.get(bucketId(row.bucket)) ?? 0) + row.microUsd);
  return totals;
}

/** One bucket's amount of one service from one source (and pool), summed over days. */
export interface BucketServiceTotal {
  service: string;
  source: AllocationSource;
  pool?: string;
  microUsd: MicroUsd;
}

/**
 * Σ rows per bucket id, then per (service, source, pool) — keyed by `rowKey(service, source,
 * pool)`, since a bucket may hold one service both tagged and shared. Zero sums are dropped.
 */
export function totalsByBucketService(days: readonly AllocatedDay[]): Map<string, Map<string, BucketServiceTotal>> {
  const totals = new Map<string, Map<string, BucketServiceTotal>>();
  for (const day of days) {
    for (const row of day.rows) {
      const id = bucketId(row.bucket);
      const inner = totals.get(id) ?? new Map<string, BucketServiceTotal>();
      const key = rowKey(row.service, row.source, row.pool);
      const entry = inner.get(key) ?? { service: row.service, source: row.source, ...(row.pool === undefined ? {} : { pool: row.pool }), microUsd: 0 };
      entry.microUsd += row.microUsd;
      inner.set(key, entry);
      totals.set(id, inner);
    }
  }
  for (const inner of totals.values()) for (const [key, entry] of inner) if (entry.microUsd === 0) inner.delete(key);
  return totals;
}

/** A bucket's services, largest first (by |µUSD|, then service, source, pool): BucketSummary.byService and CostDrill.byService. */
export function servicesOfBucket(days: readonly AllocatedDay[], id: string): BucketServiceTotal[] {
  const inner = totalsByBucketService(days).get(id);
  if (inner === undefined) return [];
  return [...inner.values()].sort(
    (a, b) =>
      Math.abs(b.microUsd) - Math.abs(a.microUsd) ||
      compareStrings(a.service, b.service) ||
      SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
      compareStrings(a.pool ?? "", b.pool ?? ""),
  );
}

/** Σ rows per bucket id per day, in the order of `days` (0 where a bucket had nothing): BucketSummary.byDay. */
export function dailyTotalsByBucket(days: readonly AllocatedDay[]): Map<string, MicroUsd[]> {
  const totals = new Map<string, MicroUsd[]>();
  days.forEach((day, i) => {
    for (const row of day.rows) {
      const id = bucketId(row.bucket);
      const series = totals.get(id) ?? new Array<MicroUsd>(days.length).fill(0);
      series[i] = series[i]! + row.microUsd;
      totals.set(id, series);
    }
  });
  return totals;
}

/** Σ rows per source (tagged, untagged, shared, idle) over the days: the view's totals. */
export function totalsBySource(days: readonly AllocatedDay[]): Record<AllocationSource, MicroUsd> {
  const totals: Record<AllocationSource, MicroUsd> = { tagged: 0, untagged: 0, shared: 0, idle: 0 };
  for (const day of days) for (const row of day.rows) totals[row.source] += row.microUsd;
  return totals;
}

/**
 * A bucket's Lambda cost per function and usage type over the days that have function lines,
 * largest first, and how many days that is (CostDrill.byFunction, functionDays).
 */
export function functionsOfBucket(days: readonly AllocatedDay[], id: string): { byFunction: { functionName: string; usageType: string; microUsd: MicroUsd }[]; functionDays: number } {
  const totals = new Map<string, { functionName: string; usageType: string; microUsd: MicroUsd }>();
  let functionDays = 0;
  for (const day of days) {
    if (day.functions === null) continue;
    functionDays++;
    for (const f of day.functions) {
      if (bucketId(f.bucket) !== id) continue;
      const key = `${f.functionName}\u0000${f.usageType}`;
      const entry = totals.get(key) ?? { functionName: f.functionName, usageType: f.usageType, microUsd: 0 };
      entry.microUsd += f.microUsd;
      totals.set(key, entry);
    }
  }
  const byFunction = [...totals.values()]
    .filter((f) => f.microUsd !== 0)
    .sort((a, b) => Math.abs(b.microUsd) - Math.abs(a.microUsd) || compareStrings(a.functionName, b.functionName) || compareStrings(a.usageType, b.usageType));
  return { byFunction, functionDays };
}

/** Bill, allocated total, per bucket and per source over the days; allocated always equals bill. */
export function sumAllocatedDays(days: readonly AllocatedDay[]): {
  billMicroUsd: MicroUsd;
  allocatedMicroUsd: MicroUsd;
  byBucket: Map<string, MicroUsd>;
  bySource: Record<AllocationSource, MicroUsd>;
} {
  const byBucket = totalsByBucket(days);
  return {
    billMicroUsd: days.reduce((sum, d) => sum + d.billMicroUsd, 0),
    allocatedMicroUsd: [...byBucket.values()].reduce((sum, v) => sum + v, 0),
    byBucket,
    bySource: totalsBySource(days),
  };
}
