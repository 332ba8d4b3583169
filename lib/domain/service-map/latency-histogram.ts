/**
 * Response-time histograms on one fixed grid, so histograms of different hours, nodes and
 * edges add bin by bin and a merged range stays as small as one hour.
 *
 * X-Ray reports a histogram as (Value in seconds, Count) entries. Its values come from its
 * own bucketing and are not guaranteed to line up between calls, so every entry is re-binned
 * on the way in: bins are log-spaced, ten per decade (each bin ≈ 26 % wide), from 0.1 ms to
 * 1,000 s; bin i covers [10^(i/10 − 1), 10^((i+1)/10 − 1)) ms. Values below or above the
 * grid land in the first or last bin. Percentiles are therefore accurate to about ±13 %,
 * which is what a service map needs and what X-Ray's own histograms give.
 */

export const HISTOGRAM_BINS_PER_DECADE = 10;
/** log10 of the lower edge of bin 0, in ms (0.1 ms). */
const FIRST_EDGE_LOG10_MS = -1;
/** Seven decades: 0.1 ms to 1,000 s. */
export const HISTOGRAM_BIN_COUNT = 7 * HISTOGRAM_BINS_PER_DECADE;

/**
 * A response-time histogram: request counts of the bins firstBin … firstBin + counts.length − 1.
 * Normalised: no leading or trailing zero counts, and `{ firstBin: 0, counts: [] }` when empty,
 * so equal histograms have equal representations (stored items stay byte-identical).
 */
export interface LatencyHistogram {
  firstBin: number;
  counts: number[];
}

/** A histogram with no requests. */
export function emptyHistogram(): LatencyHistogram {
  return { firstBin: 0, counts: [] };
}

/** Lower edge (ms) of bin `bin`. */
export function binLowerEdgeMs(bin: number): number {
  return 10 ** (FIRST_EDGE_LOG10_MS + bin / HISTOGRAM_BINS_PER_DECADE);
}

/** Upper edge (ms) of bin `bin` (the lower edge of the next). */
export function binUpperEdgeMs(bin: number): number {
  return binLowerEdgeMs(bin + 1);
}

/** The bin holding a response time of `valueMs` (clamped to the grid). */
export function binOfMs(valueMs: number): number {
  if (!(valueMs > binLowerEdgeMs(0))) return 0;
  // The epsilon keeps an exact edge (1 ms, 10 ms, …) in the bin it starts despite log10 rounding.
  const bin = Math.floor((Math.log10(valueMs) - FIRST_EDGE_LOG10_MS) * HISTOGRAM_BINS_PER_DECADE + 1e-9);
  return Math.min(HISTOGRAM_BIN_COUNT - 1, Math.max(0, bin));
}

/** Builds a normalised histogram from dense counts over the whole grid. */
function fromDense(dense: readonly number[]): LatencyHistogram {
  let first = 0;
  while (first < dense.length && dense[first] === 0) first++;
  if (first === dense.length) return { firstBin: 0, counts: [] };
  let last = dense.length - 1;
  while (dense[last] === 0) last--;
  return { firstBin: first, counts: dense.slice(first, last + 1) };
}

function toDense(histogram: LatencyHistogram, into: number[]): void {
  histogram.counts.forEach((count, i) => {
    into[histogram.firstBin + i]! += count;
  });
}

/**
 * Re-bins X-Ray histogram entries (response time in ms, request count) onto the grid.
 * Callers validate entries first (finite, non-negative, integer counts).
 */
export function histogramFromEntries(entries: readonly { valueMs: number; count: number }[]): LatencyHistogram {
  const dense = new Array<number>(HISTOGRAM_BIN_COUNT).fill(0);
  for (const { valueMs, count } of entries) {
    if (count > 0) dense[binOfMs(valueMs)]! += count;
  }
  return fromDense(dense);
}

/** Adds histograms bin by bin (counts of different hours, or of duplicate nodes, sum up). */
export function addHistograms(...histograms: readonly LatencyHistogram[]): LatencyHistogram {
  const nonEmpty = histograms.filter((h) => h.counts.length > 0);
  if (nonEmpty.length === 0) return { firstBin: 0, counts: [] };
  if (nonEmpty.length === 1) return { firstBin: nonEmpty[0]!.firstBin, counts: [...nonEmpty[0]!.counts] };
  const dense = new Array<number>(HISTOGRAM_BIN_COUNT).fill(0);
  for (const h of nonEmpty) toDense(h, dense);
  return fromDense(dense);
}

/** Requests counted in the histogram. */
export function histogramTotal(histogram: LatencyHistogram): number {
  return histogram.counts.reduce((sum, count) => sum + count, 0);
}

/**
 * The q-quantile (0 < q ≤ 1; 0.99 for p99) of the response time in ms, or null for an empty
 * histogram. The rank q × total is located in its bin and interpolated geometrically inside
 * it (bins are log-spaced): a lone request reads as the bin's geometric centre, q = 1 as the
 * upper edge of the last non-empty bin.
 */
export function percentileMs(histogram: LatencyHistogram, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  const total = histogramTotal(histogram);
  if (total === 0) return null;
  const rank = q * total;
  let before = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    const count = histogram.counts[i]!;
    if (count > 0 && before + count >= rank) {
      const bin = histogram.firstBin + i;
      const fraction = (rank - before) / count;
      const lower = binLowerEdgeMs(bin);
      return lower * (binUpperEdgeMs(bin) / lower) ** fraction;
    }
    before += count;
  }
  return binUpperEdgeMs(histogram.firstBin + histogram.counts.length - 1);
}

/**
 * The response time (ms, a bin's lower edge) above which at least `minCount` requests of the
 * histogram lie, as tight as the grid allows: the lower edge of the highest bin where the
 * count from the top reaches `minCount`. Fewer requests than that in all: the lower edge of
 * the first bin (every request qualifies). Null for an empty histogram. Used to ask X-Ray for
 * a function's slowest traces with a filter that matches only a handful of them.
 */
export function tailThresholdMs(histogram: LatencyHistogram, minCount: number): number | null {
  if (histogram.counts.length === 0) return null;
  let fromTop = 0;
  for (let i = histogram.counts.length - 1; i >= 0; i--) {
    fromTop += histogram.counts[i]!;
    if (fromTop >= minCount) return binLowerEdgeMs(histogram.firstBin + i);
  }
  return binLowerEdgeMs(histogram.firstBin);
}
