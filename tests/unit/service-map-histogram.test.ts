import { describe, expect, it } from "vitest";
import {
  addHistograms,
  binLowerEdgeMs,
  binOfMs,
  binUpperEdgeMs,
  histogramFromEntries,
  histogramTotal,
  HISTOGRAM_BIN_COUNT,
  percentileMs,
  tailThresholdMs,
  type LatencyHistogram,
} from "@/lib/domain/service-map/latency-histogram";

const h = (firstBin: number, counts: number[]): LatencyHistogram => ({ firstBin, counts });

describe("the histogram grid (ten log bins per decade from 0.1 ms)", () => {
  it.each([
    [0.1, 0],
    [0.05, 0], // below the grid: first bin
    [0, 0],
    [1, 10], // an exact decade starts its bin despite log10 rounding
    [10, 20],
    [1000, 40],
    [1.25, 10],
    [1.2589254117941673, 11], // 10^0.1: the next bin's lower edge
    [56.2, 27], // X-Ray's 0.0562 s lies in [50.1, 63.1) ms
    [999_999, 69],
    [5_000_000, HISTOGRAM_BIN_COUNT - 1], // above the grid: last bin
  ])("%f ms falls in bin %i", (ms, bin) => {
    expect(binOfMs(ms)).toBe(bin);
  });

  it("bin edges are contiguous and ten per decade", () => {
    expect(binLowerEdgeMs(0)).toBeCloseTo(0.1, 12);
    expect(binLowerEdgeMs(10)).toBeCloseTo(1, 12);
    expect(binUpperEdgeMs(9)).toBe(binLowerEdgeMs(10));
    expect(binUpperEdgeMs(69)).toBeCloseTo(1_000_000, 6);
  });
});

describe("histogramFromEntries", () => {
  it("re-bins X-Ray's (seconds, count) entries and normalises leading and trailing zeros away", () => {
    const histogram = histogramFromEntries([
      { valueMs: 56.2, count: 3 },
      { valueMs: 70.8, count: 2 },
      { valueMs: 60, count: 1 }, // same bin as 56.2
      { valueMs: 112, count: 0 }, // an empty entry adds nothing
      { valueMs: 112, count: 4 },
    ]);
    expect(histogram).toEqual({ firstBin: 27, counts: [4, 2, 0, 4] });
    expect(histogramTotal(histogram)).toBe(10);
  });

  it("is the empty histogram for no requests", () => {
    expect(histogramFromEntries([])).toEqual({ firstBin: 0, counts: [] });
    expect(histogramFromEntries([{ valueMs: 3, count: 0 }])).toEqual({ firstBin: 0, counts: [] });
  });
});

describe("addHistograms", () => {
  it.each([
    ["disjoint ranges", [h(10, [1, 2]), h(14, [3])], h(10, [1, 2, 0, 0, 3])],
    ["overlapping ranges", [h(10, [1, 2, 3]), h(11, [10, 20])], h(10, [1, 12, 23])],
    ["with an empty one", [h(0, []), h(12, [5])], h(12, [5])],
    ["all empty", [h(0, []), h(0, [])], h(0, [])],
    ["nothing", [], h(0, [])],
  ])("%s", (_label, inputs, expected) => {
    expect(addHistograms(...inputs)).toEqual(expected);
  });

  it("keeps the total: counts of hours add up", () => {
    const a = h(3, [1, 0, 7]);
    const b = h(5, [2, 9]);
    expect(histogramTotal(addHistograms(a, b))).toBe(histogramTotal(a) + histogramTotal(b));
  });

  it("never shares arrays with its inputs", () => {
    const a = h(3, [1]);
    const sum = addHistograms(a);
    sum.counts[0] = 99;
    expect(a.counts[0]).toBe(1);
  });
});

describe("percentileMs", () => {
  const decade = 10 ** 0.1;
  it.each([
    ["a lone request reads as its bin's geometric centre", h(20, [1]), 0.5, 10 * Math.sqrt(decade)],
    ["q = 1 is the last bin's upper edge", h(20, [1]), 1, 10 * decade],
    ["rank landing exactly on a bin's end: its upper edge", h(10, [1, 1, 1, 1]), 0.5, 10 ** 0.2],
    ["p25 of four bins of one", h(10, [1, 1, 1, 1]), 0.25, 10 ** 0.1],
    ["p99 of 99 fast + 1 slow stays with the fast ones", h(10, [99, ...new Array(19).fill(0), 1]), 0.99, 10 ** 0.1],
    ["p100 of 99 fast + 1 slow is the slow one's bin end", h(10, [99, ...new Array(19).fill(0), 1]), 1, 100 * decade],
    ["interpolates geometrically inside a bin", h(30, [4]), 0.25, 100 * decade ** 0.25],
  ])("%s", (_label, histogram, q, expected) => {
    expect(percentileMs(histogram, q)).toBeCloseTo(expected, 9);
  });

  it("is null without requests and rejects quantiles outside (0, 1]", () => {
    expect(percentileMs(h(0, []), 0.99)).toBeNull();
    expect(() => percentileMs(h(10, [1]), 0)).toThrow(RangeError);
    expect(() => percentileMs(h(10, [1]), 1.5)).toThrow(RangeError);
  });
});

describe("tailThresholdMs", () => {
  it.each([
    ["the tightest edge with enough requests above", h(10, [5, 0, 3, 2]), 4, 10 ** 0.2],
    ["exactly enough in the top bin", h(10, [5, 0, 3, 2]), 2, 10 ** 0.3],
    ["fewer requests than asked: every request", h(10, [5, 0, 3, 2]), 100, 1],
    ["one request", h(40, [1]), 6, 1000],
  ])("%s", (_label, histogram, minCount, expected) => {
    expect(tailThresholdMs(histogram, minCount)).toBeCloseTo(expected, 9);
  });

  it("is null for an empty histogram", () => {
    expect(tailThresholdMs(h(0, []), 3)).toBeNull();
  });
});
