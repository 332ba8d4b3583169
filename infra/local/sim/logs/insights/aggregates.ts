import { hashString } from "../../model/random";
import { toNumber, type Value } from "./values";

/**
 * Weight-aware aggregates of `stats`. A record of weight w counts as w identical lines: count
 * adds w, sum adds w·v, averages and deviations are weighted, and percentiles are weighted
 * order statistics. With every weight 1 they are the ordinary aggregates.
 */

export interface Accumulator {
  add(value: Value, weight: number): void;
  /** The aggregate so far (absent when undefined for no input, e.g. avg of nothing). */
  result(): Value;
}

export type AggregateSpec =
  | { kind: "count"; star: boolean }
  | { kind: "count_distinct" }
  | { kind: "sum" | "avg" | "min" | "max" | "stddev" }
  | { kind: "pct"; percentile: number };

/** A fresh accumulator for one group. */
export function createAccumulator(spec: AggregateSpec): Accumulator {
  switch (spec.kind) {
    case "count":
      return spec.star ? new CountAllAccumulator() : new CountPresentAccumulator();
    case "count_distinct":
      return new CountDistinctAccumulator();
    case "sum":
      return new SumAccumulator(false);
    case "avg":
      return new SumAccumulator(true);
    case "min":
      return new ExtremeAccumulator(-1);
    case "max":
      return new ExtremeAccumulator(1);
    case "stddev":
      return new StddevAccumulator();
    case "pct":
      return new PercentileAccumulator(spec.percentile);
  }
}

class CountAllAccumulator implements Accumulator {
  private count = 0;
  add(_value: Value, weight: number): void {
    this.count += weight;
  }
  result(): Value {
    return this.count;
  }
}

class CountPresentAccumulator implements Accumulator {
  private count = 0;
  add(value: Value, weight: number): void {
    if (value !== undefined) this.count += weight;
  }
  result(): Value {
    return this.count;
  }
}

class SumAccumulator implements Accumulator {
  private total = 0;
  private weight = 0;
  constructor(private readonly average: boolean) {}
  add(value: Value, weight: number): void {
    const x = toNumber(value);
    if (x === undefined) return;
    this.total += x * weight;
    this.weight += weight;
  }
  result(): Value {
    if (this.weight === 0) return undefined;
    return this.average ? this.total / this.weight : this.total;
  }
}

class ExtremeAccumulator implements Accumulator {
  private best: number | undefined;
  constructor(private readonly sign: 1 | -1) {}
  add(value: Value): void {
    const x = toNumber(value);
    if (x !== undefined && (this.best === undefined || (x - this.best) * this.sign > 0)) this.best = x;
  }
  result(): Value {
    return this.best;
  }
}

/** Sample standard deviation (weights are frequencies: W − 1 degrees of freedom). */
class StddevAccumulator implements Accumulator {
  private weight = 0;
  private mean = 0;
  private squares = 0;
  add(value: Value, weight: number): void {
    const x = toNumber(value);
    if (x === undefined || weight <= 0) return;
    // West's weighted incremental algorithm (stable for large values such as timestamps).
    this.weight += weight;
    const delta = x - this.mean;
    this.mean += (weight / this.weight) * delta;
    this.squares += weight * delta * (x - this.mean);
  }
  result(): Value {
    return this.weight < 2 ? undefined : Math.sqrt(Math.max(0, this.squares / (this.weight - 1)));
  }
}

/** Entries kept before compacting a percentile buffer into weighted centroids. */
const MAX_PERCENTILE_ENTRIES = 1 << 20;
const COMPACTED_CENTROIDS = 1 << 16;

/**
 * Weighted nearest-rank percentile: the smallest value whose cumulative weight reaches
 * p % of the total (with weights 1: the ⌈p·n/100⌉-th smallest value). Very large inputs are
 * compacted into equal-weight centroids, as AWS's own percentiles are approximate too.
 */
export class PercentileAccumulator implements Accumulator {
  // Plain arrays: they grow on the JS heap (typed arrays of this size live off-heap and cost
  // an allocation and a zero-fill per doubling, for thousands of stats groups).
  private values: number[] = [];
  private weights: number[] = [];
  private totalWeight = 0;
  /** Every weight is a whole number (lines, or weighted strata; compaction keeps them whole). */
  private wholeWeights = true;

  constructor(private readonly percentile: number) {}

  add(value: Value, weight: number): void {
    const x = toNumber(value);
    if (x === undefined || weight <= 0) return;
    if (this.values.length >= MAX_PERCENTILE_ENTRIES) this.compact();
    this.values.push(x);
    this.weights.push(weight);
    this.totalWeight += weight;
    if (!Number.isInteger(weight)) this.wholeWeights = false;
  }

  result(): Value {
    if (this.values.length === 0) return undefined;
    const target = (Math.min(100, Math.max(0, this.percentile)) / 100) * this.totalWeight;
    // Whole weights add up exactly in any order, so selection finds the value sorting would.
    if (this.wholeWeights && this.totalWeight <= Number.MAX_SAFE_INTEGER) {
      return weightedSelect(this.values.slice(), this.weights.slice(), target);
    }
    const order = this.sortedOrder();
    let cumulative = 0;
    for (const index of order) {
      cumulative += this.weights[index]!;
      if (cumulative >= target && cumulative > 0) return this.values[index]!;
    }
    return this.values[order[order.length - 1]!]!;
  }

  private sortedOrder(): Uint32Array {
    const size = this.values.length;
    const order = new Uint32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
    const values = this.values;
    order.sort((a, b) => values[a]! - values[b]!);
    return order;
  }

  private compact(): void {
    const order = this.sortedOrder();
    const perCentroid = this.totalWeight / COMPACTED_CENTROIDS;
    const values: number[] = [];
    const weights: number[] = [];
    let weight = 0;
    let moment = 0;
    for (const index of order) {
      const w = this.weights[index]!;
      weight += w;
      moment += w * this.values[index]!;
      if (weight >= perCentroid) {
        values.push(moment / weight);
        weights.push(weight);
        weight = 0;
        moment = 0;
      }
    }
    if (weight > 0) {
      values.push(moment / weight);
      weights.push(weight);
    }
    this.values = values;
    this.weights = weights;
  }
}

/**
 * The smallest value whose cumulative weight (in ascending order of values) reaches `target`,
 * or the largest value when none does: weighted quickselect, O(n) instead of a sort. Reorders
 * the arrays it is given. Exact when the weights' partial sums are exact (whole weights).
 */
function weightedSelect(values: number[], weights: number[], target: number): number {
  let lo = 0;
  let hi = values.length - 1;
  /** Weight of the values known to lie below [lo, hi]. */
  let below = 0;
  while (lo < hi) {
    const pivot = medianOfThree(values[lo]!, values[(lo + hi) >>> 1]!, values[hi]!);
    // Three-way partition: [lo, lt) below the pivot, [lt, gt] equal, (gt, hi] above.
    let lt = lo;
    let i = lo;
    let gt = hi;
    let lessWeight = 0;
    let equalWeight = 0;
    while (i <= gt) {
      const v = values[i]!;
      if (v < pivot) {
        lessWeight += weights[i]!;
        swap(values, weights, lt, i);
        lt++;
        i++;
      } else if (v > pivot) {
        swap(values, weights, i, gt);
        gt--;
      } else {
        equalWeight += weights[i]!;
        i++;
      }
    }
    if (lessWeight > 0 && below + lessWeight >= target) {
      hi = lt - 1;
    } else if (below + lessWeight + equalWeight >= target || gt >= hi) {
      // Reached within the pivot's values, or nothing lies above them (the largest value).
      return pivot;
    } else {
      below += lessWeight + equalWeight;
      lo = gt + 1;
    }
  }
  return values[lo]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function swap(values: number[], weights: number[], i: number, j: number): void {
  const value = values[i]!;
  values[i] = values[j]!;
  values[j] = value;
  const weight = weights[i]!;
  weights[i] = weights[j]!;
  weights[j] = weight;
}

/** Exact up to this many distinct values, then a HyperLogLog estimate (AWS's is approximate too). */
const EXACT_DISTINCT_LIMIT = 100_000;
const HLL_BITS = 14;

class CountDistinctAccumulator implements Accumulator {
  private exact: Set<string | number> | undefined = new Set();
  private registers: Uint8Array | undefined;

  add(value: Value): void {
    if (value === undefined) return;
    const key = typeof value === "boolean" ? String(value) : value;
    if (this.exact !== undefined) {
      this.exact.add(key);
      if (this.exact.size <= EXACT_DISTINCT_LIMIT) return;
      this.registers = new Uint8Array(1 << HLL_BITS);
      for (const item of this.exact) this.addToSketch(item);
      this.exact = undefined;
      return;
    }
    this.addToSketch(key);
  }

  result(): Value {
    if (this.exact !== undefined) return this.exact.size;
    const registers = this.registers!;
    const m = registers.length;
    let sum = 0;
    let zeros = 0;
    for (const r of registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const estimate = (alpha * m * m) / sum;
    return Math.round(estimate <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : estimate);
  }

  private addToSketch(value: string | number): void {
    const hash = hashString(typeof value === "number" ? `#${value}` : value);
    const mixed = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) >>> 0;
    const index = mixed >>> (32 - HLL_BITS);
    const rest = (mixed << HLL_BITS) >>> 0;
    const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
    const registers = this.registers!;
    if (rank > registers[index]!) registers[index] = rank;
  }
}
