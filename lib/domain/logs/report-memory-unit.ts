/**
 * The one place where Logs Insights' @memorySize / @maxMemoryUsed become MB.
 *
 * Insights reports both in bytes, and AWS's own sample queries turn them back into MB by
 * dividing by 1000 × 1000, i.e. it reads the REPORT line's "MB" as 10^6 bytes. FACTS §3
 * marks that reading *verify*, so it is not assumed: the unit is detected per row from the
 * memory size, which must come out as a whole Lambda memory size (128–10,240 MB) in exactly
 * one candidate unit. (No size in that range is whole in both: a value would need to be a
 * multiple of lcm(10^6, 2^20) bytes = 16,384 MB.)
 */

/** Bytes per MB Insights may use, in order of preference (AWS's sample queries first). */
export const REPORTED_MB_CANDIDATE_BYTES = [1_000_000, 1_048_576] as const;

/** Lambda's configurable memory range (MB). */
export const LAMBDA_MIN_MEMORY_MB = 128;
export const LAMBDA_MAX_MEMORY_MB = 10_240;

/**
 * The bytes per MB that turn `memorySizeBytes` into a whole Lambda memory size, or undefined
 * when no candidate does (the row is not a REPORT memory size).
 */
export function detectBytesPerReportedMb(memorySizeBytes: number): number | undefined {
  for (const bytesPerMb of REPORTED_MB_CANDIDATE_BYTES) {
    const mb = memorySizeBytes / bytesPerMb;
    if (Number.isInteger(mb) && mb >= LAMBDA_MIN_MEMORY_MB && mb <= LAMBDA_MAX_MEMORY_MB) return bytesPerMb;
  }
  return undefined;
}

/**
 * Bytes as Insights reports them → MB, with the unit detected from the same row's memory
 * size. Rounded to 0.01 MB: REPORT lines state whole MB, percentiles may fall between.
 */
export function reportedBytesToMb(bytes: number, bytesPerMb: number): number {
  return Math.round((bytes / bytesPerMb) * 100) / 100;
}
