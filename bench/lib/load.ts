/**
 * HTTP load on loopback with autocannon (in process): a fixed number of connections, each
 * sending its next request as soon as the previous one is answered, for a bounded time.
 * Latency percentiles are computed here from every response's own time (autocannon's
 * histogram summary has p97.5 but no p95).
 */
import autocannon from "autocannon";
import { percentile } from "@/bench/lib/report";

export interface LoadResult {
  connections: number;
  /** Responses received (any status). */
  responses: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  timeouts: number;
  /** Status codes other than 2xx seen, with counts (what a failure was). */
  statuses: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Per-request timeout; a request still unanswered then counts as an error. */
  timeoutSeconds: number;
}

/** Runs one load and summarises it. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "GET",
        headers: options.headers,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: options.timeoutSeconds,
        // Each connection waits for its answer: closed-loop clients, like browsers or scripts.
        pipelining: 1,
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        latencies.sort((a, b) => a - b);
        resolve({
          connections: options.connections,
          responses: latencies.length,
          requestsPerSecond: latencies.length / (result.duration || options.durationSeconds),
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          p99Ms: percentile(latencies, 99),
          maxMs: latencies.at(-1) ?? Number.NaN,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statuses,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
      if (statusCode < 200 || statusCode > 299) statuses[String(statusCode)] = (statuses[String(statusCode)] ?? 0) + 1;
    });
  });
}

/** One request on a fresh connection, timed from sending to the end of the body (a cold request). */
export async function timeOneRequest(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  const body = await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, bytes: body.byteLength };
}
