/**
 * What a `parse` command takes from one match: the named group, or (glob patterns, whose
 * groups are positional) the i-th group. Shared by the pipeline, which sets the fields, and
 * the compiler, which checks what a parse of @logStream can read (see log-stream-names.ts).
 */

/** The value `parse` sets for field `name` (the `index`-th of the pattern's names); undefined leaves the field alone. */
export function parseCapture(match: RegExpExecArray, name: string, index: number): string | undefined {
  return match.groups?.[name] ?? match[index + 1];
}

/** Where in the text that value comes from ([start, end)); needs a match of a regex with the `d` flag. */
export function parseCaptureSpan(match: RegExpExecArray, name: string, index: number): readonly [number, number] | undefined {
  const { indices } = match;
  if (indices === undefined) return undefined;
  return match.groups?.[name] !== undefined ? indices.groups?.[name] : indices[index + 1];
}
