import { compileQuery } from "./compile-query";
import { QueryPipeline, type ResultRow } from "./pipeline";
import { readField, toNumber, type InsightsRecord } from "./values";

/** AWS's default number of rows when StartQuery gives no `limit`. */
export const DEFAULT_QUERY_LIMIT = 1000;

/**
 * Runs a query over records held in memory (tests, small inputs): orders them by @timestamp as
 * the query's source order requires, then streams them through the pipeline.
 * @throws MalformedQueryError
 */
export function runInsightsQuery(
  text: string,
  records: readonly InsightsRecord[],
  outputLimit = DEFAULT_QUERY_LIMIT,
): { rows: ResultRow[]; recordsMatched: number } {
  const query = compileQuery(text);
  const sign = query.sourceOrder === "desc" ? -1 : 1;
  const ordered = records
    .map((record, index) => ({ record, index, ms: toNumber(readField(record, "@timestamp")) ?? 0 }))
    .sort((a, b) => sign * (a.ms - b.ms) || a.index - b.index);
  const pipeline = new QueryPipeline(query, { outputLimit });
  for (const { record } of ordered) {
    if (pipeline.saturated) break;
    pipeline.push(record);
  }
  pipeline.finish();
  return { rows: pipeline.rows(), recordsMatched: pipeline.recordsMatched };
}
