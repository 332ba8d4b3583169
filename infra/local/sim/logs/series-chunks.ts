import { MinuteSeriesCache, type MinuteSeries, type SimModel } from "../model/minute-stats";

/**
 * Minute series in hour-aligned chunks, shared by the queries of one Logs service. A chunk
 * that lies wholly before the first unpublished minute is immutable (writes only change the
 * future), so it is kept (least recently used first out) and repeated queries over the same
 * hours skip the model.
 */

export const CHUNK_MINUTES = 60;
/** ~2 days of hours; a chunk of 15 functions is ~200 KB. */
const MAX_CACHED_CHUNKS = 48;
const MAX_LIVE_CHUNKS = 4;

/** Hour chunks of minute series, shared by the queries of one Logs service. */
export class SeriesChunks {
  private readonly cached = new Map<number, MinuteSeriesCache>();
  /** Chunks still being published, valid for one value of the first unpublished minute. */
  private readonly live = new Map<string, MinuteSeriesCache>();
  private lastStart = Number.NaN;
  private lastChunk: MinuteSeriesCache | undefined;

  constructor(private readonly model: SimModel) {}

  /** Series of `functionName` over the chunk containing `epochMinute` (index = minute − series.fromMinute). */
  series(functionName: string, epochMinute: number, firstUnpublishedMinute: number): MinuteSeries | undefined {
    return this.chunk(epochMinute, firstUnpublishedMinute).series(functionName);
  }

  private chunk(epochMinute: number, firstUnpublishedMinute: number): MinuteSeriesCache {
    const start = Math.floor(epochMinute / CHUNK_MINUTES) * CHUNK_MINUTES;
    // A query asks for the same hour for every group of every minute in it: the last chunk
    // handed out is already the most recently used one.
    if (start === this.lastStart && this.lastChunk !== undefined) return this.lastChunk;
    const chunk = this.lookUp(start, firstUnpublishedMinute);
    // Only immutable chunks are remembered: a live one is valid for one publication minute.
    this.lastStart = this.cached.get(start) === chunk ? start : Number.NaN;
    this.lastChunk = chunk;
    return chunk;
  }

  private lookUp(start: number, firstUnpublishedMinute: number): MinuteSeriesCache {
    const hit = this.cached.get(start);
    if (hit !== undefined) {
      this.cached.delete(start);
      this.cached.set(start, hit);
      return hit;
    }
    if (start + CHUNK_MINUTES <= firstUnpublishedMinute) {
      const chunk = new MinuteSeriesCache(this.model, start, CHUNK_MINUTES);
      this.cached.set(start, chunk);
      if (this.cached.size > MAX_CACHED_CHUNKS) this.cached.delete(this.cached.keys().next().value!);
      return chunk;
    }
    const key = `${start}:${firstUnpublishedMinute}`;
    let chunk = this.live.get(key);
    if (chunk === undefined) {
      chunk = new MinuteSeriesCache(this.model, start, CHUNK_MINUTES);
      this.live.set(key, chunk);
      if (this.live.size > MAX_LIVE_CHUNKS) this.live.delete(this.live.keys().next().value!);
    }
    return chunk;
  }
}
