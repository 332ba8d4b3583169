import { parseCapture, parseCaptureSpan } from "./insights/parse-captures";

/**
 * Lambda's log stream names, `2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef`: the UTC
 * date, the version that ran (`$LATEST` or a published version's number) and 32 hex digits
 * naming one execution environment. The date and the version are the same for every line a
 * function writes in a minute; only the environment id is per line. Weighted records (see
 * weighted-log-records.ts) carry a real stream name of their minute, so a query that reads the
 * date or the version out of @logStream, and nothing of the environment id, gets the same
 * answer from them as from one record per line.
 */

/** A stream name from its parts (`date` as `YYYY/MM/DD`, `environmentHex` 32 hex digits). */
export function formatLogStreamName(date: string, versionLabel: string, environmentHex: string): string {
  return `${date}/[${versionLabel}]${environmentHex}`;
}

/** What a parse of @logStream can read: see `analyseLogStreamParse`. */
export interface LogStreamParseAnalysis {
  /** Every field the parse sets depends on the date and the version only, never on the environment id. */
  environmentFree: boolean;
  /** Fields the parse sets on every stream name (the others keep their earlier value on some). */
  alwaysSet: ReadonlySet<string>;
}

const HEX_DIGITS = "0123456789abcdef";
const PROBE_DATES = ["2026/11/27", "2019/02/03"];
const PROBE_VERSIONS = ["$LATEST", "1", "57", "1234"];
/**
 * Environment ids to try: each digit throughout, ascending and descending runs, and a few
 * scrambled ones (fixed, so the verdict is deterministic).
 */
const PROBE_ENVIRONMENTS: readonly string[] = (() => {
  const ids = [...HEX_DIGITS].map((digit) => digit.repeat(32));
  ids.push(HEX_DIGITS.repeat(2), [...HEX_DIGITS].reverse().join("").repeat(2));
  let state = 0x2545f491;
  for (let k = 0; k < 8; k++) {
    let id = "";
    for (let i = 0; i < 32; i++) {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      id += HEX_DIGITS[(state >>> 16) & 15];
    }
    ids.push(id);
  }
  return ids;
})();

/**
 * Decides whether a `parse @logStream` pattern reads only the date and `[version]` part of
 * stream names: for each date and version tried, every environment id tried must give the
 * same outcome (match or not, the same values), and every value must come from the text
 * before the environment id. `/\[(?<version>[^\]]+)\]/` passes; a pattern that captures any
 * of the hex id, or matches only for some ids, does not. Sampling cannot prove that for every
 * id, but a pattern would have to name particular hex digits to fool it.
 */
export function analyseLogStreamParse(regex: RegExp, names: readonly string[]): LogStreamParseAnalysis {
  const probe = new RegExp(regex.source, `${regex.flags.replace(/[dgy]/g, "")}d`);
  const setOnAll = new Set(names);
  const refused: LogStreamParseAnalysis = { environmentFree: false, alwaysSet: new Set() };
  for (const date of PROBE_DATES) {
    for (const version of PROBE_VERSIONS) {
      const prefixLength = formatLogStreamName(date, version, "").length;
      let reference: (string | undefined)[] | undefined;
      for (const environment of PROBE_ENVIRONMENTS) {
        const match = probe.exec(formatLogStreamName(date, version, environment));
        const values = names.map((name, i) => (match === null ? undefined : parseCapture(match, name, i)));
        if (match !== null) {
          for (let i = 0; i < names.length; i++) {
            if (values[i] === undefined) continue;
            const span = parseCaptureSpan(match, names[i]!, i);
            if (span === undefined || span[1] > prefixLength) return refused;
          }
        }
        if (reference === undefined) reference = values;
        else if (values.some((value, i) => value !== reference![i])) return refused;
      }
      names.forEach((name, i) => {
        if (reference?.[i] === undefined) setOnAll.delete(name);
      });
    }
  }
  return { environmentFree: true, alwaysSet: setOnAll };
}
