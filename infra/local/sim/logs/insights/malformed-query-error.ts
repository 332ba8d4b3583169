import type { Span } from "./ast";

/**
 * A query that cannot be compiled. It carries the offending span (0-based character offsets,
 * end exclusive) and the bare problem, which the API turns into AWS's MalformedQueryException
 * (`queryCompileError: { location: { startCharOffset, endCharOffset }, message }`).
 */
export class MalformedQueryError extends Error {
  override readonly name = "MalformedQueryError";

  constructor(
    readonly problem: string,
    readonly span: Span,
    queryText: string,
  ) {
    super(`${problem} at ${describePosition(queryText, span.start)}`);
  }
}

/** "line 2 and position 7" (both 1-based) for a character offset. */
export function describePosition(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line} and position ${column}`;
}
