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
  private values = new Float64Array(64);
  private weights = new Float64Array(64);
  private size = 0;
  private totalWeight = 0;

  constructor(private readonly percentile: number) {}

  add(value: Value, weight: number): void {
    const x = toNumber(value);
    if (x === undefined || weight <= 0) return;
    if (this.size === this.values.length) {
      if (this.size >= MAX_PERCENTILE_ENTRIES) this.compact();
      else this.grow();
    }
    this.values[this.size] = x;
    this.weights[this.size] = weight;
    this.size++;
    this.totalWeight += weight;
  }

  result(): Value {
    if (this.size === 0) return undefined;
    const order = this.sortedOrder();
    const target = (Math.min(100, Math.max(0, this.percentile)) / 100) * this.totalWeight;
    let cumulative = 0;
    for (const index of order) {
      cumulative += this.weights[index]!;
      if (cumulative >= target && cumulative > 0) return this.values[index]!;
    }
    return this.values[order[order.length - 1]!]!;
  }

  private sortedOrder(): Uint32Array {
    const order = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    const values = this.values;
    order.sort((a, b) => values[a]! - values[b]!);
    return order;
  }

  private grow(): void {
    const values = new Float64Array(this.values.length * 2);
    const weights = new Float64Array(this.values.length * 2);
    values.set(this.values);
    weights.set(this.weights);
    this.values = values;
    this.weights = weights;
  }

  private compact(): void {
    const order = this.sortedOrder();
    const perCentroid = this.totalWeight / COMPACTED_CENTROIDS;
    const values = new Float64Array(this.values.length);
    const weights = new Float64Array(this.values.length);
    let size = 0;
    let weight = 0;
    let moment = 0;
    for (const index of order) {
      const w = this.weights[index]!;
      weight += w;
      moment += w * this.values[index]!;
      if (weight >= perCentroid) {
        values[size] = moment / weight;
        weights[size] = weight;
        size++;
        weight = 0;
        moment = 0;
      }
    }
    if (weight > 0) {
      values[size] = moment / weight;
      weights[size] = weight;
      size++;
    }
    this.values = values;
    this.weights = weights;
    this.size = size;
  }
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
