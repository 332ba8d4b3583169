import { LAMBDA_FUNCTION_TYPE } from "@/lib/domain/service-map/service-graph-snapshot";

/**
 * X-Ray filter expressions for GetTraceSummaries, as exact strings. Only the documented core
 * of the language is used — `fault`, `responsetime`, `service(id(name: …, type: …)) { … }`,
 * `AND`, `OR` — which AWS and the simulator (infra/local/sim/xray/filter-expression.ts) both
 * accept. Annotations (e.g. Powertools' `annotation.ColdStart = true`) are not universal, so
 * cold starts are found from segment documents instead (see exemplars.ts).
 */

/** X-Ray's limit on a filter expression's length. */
export const MAX_FILTER_EXPRESSION_LENGTH = 2000;

/** A string literal of the filter language. */
export function quoteFilterString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A response time for a filter, in seconds, rounded down to the millisecond (so the bound never excludes what it should include). */
export function formatFilterSeconds(ms: number): string {
  return String(Math.max(0, Math.floor(ms)) / 1000);
}

/** The Lambda function node named `functionName`. */
export function functionServiceId(functionName: string): string {
  return `id(name: ${quoteFilterString(functionName)}, type: ${quoteFilterString(LAMBDA_FUNCTION_TYPE)})`;
}

/** Traces whose root answered with a fault (5xx) and that ran a Lambda function. */
export function faultedTracesFilter(): string {
  return `fault = true AND service(id(type: ${quoteFilterString(LAMBDA_FUNCTION_TYPE)}))`;
}

/** Traces in which the function took at least `minResponseTimeMs`. */
export function slowFunctionClause(functionName: string, minResponseTimeMs: number): string {
  return `service(${functionServiceId(functionName)}) { responsetime >= ${formatFilterSeconds(minResponseTimeMs)} }`;
}

/**
 * The exemplar query of a window: faulted traces (when `withFaults`) and each function's slow
 * tail, OR-ed into as few expressions as X-Ray's length limit allows — one scan of the window's
 * traces serves both, since X-Ray bills every trace a query scans. The faulted clause, if any,
 * leads the first expression; functions follow in the given order. A clause longer than the
 * limit on its own is left out (Lambda names are ≤ 64 characters, so that never happens).
 */
export function exemplarFilters(
  thresholds: readonly { functionName: string; minResponseTimeMs: number }[],
  withFaults: boolean,
  maxLength = MAX_FILTER_EXPRESSION_LENGTH,
): string[] {
  const clauses = [
    ...(withFaults ? [`(${faultedTracesFilter()})`] : []),
    ...thresholds.map(({ functionName, minResponseTimeMs }) => slowFunctionClause(functionName, minResponseTimeMs)),
  ];
  const filters: string[] = [];
  let current = "";
  for (const clause of clauses) {
    if (clause.length > maxLength) continue;
    if (current === "") current = clause;
    else if (current.length + 4 + clause.length <= maxLength) current = `${current} OR ${clause}`;
    else {
      filters.push(current);
      current = clause;
    }
  }
  if (current !== "") filters.push(current);
  return filters;
}
