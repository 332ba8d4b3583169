import type { Span } from "./ast";
import { MalformedQueryError } from "./malformed-query-error";

/**
 * Tokenizer for Logs Insights queries. `/` is ambiguous (division or a regex literal); it
 * starts a regex where a value is expected: after an operator, `(`, `,`, `[`, `|`, a keyword
 * (`like`, `and`, ...), or right after `parse [field]`.
 */

export type TokenKind =
  | "ident" // words and @fields; keywords are idents interpreted by the parser
  | "number"
  | "duration" // 5m, 1h, 30s
  | "string"
  | "regex"
  | "op" // | , ( ) [ ] = != < <= > >= =~ + - * / % ^
  | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier name, operator, string contents, regex source, or number text. */
  text: string;
  span: Span;
  /** Numbers: value; durations: milliseconds. */
  value?: number;
  /** Regex flags (`i` from a `/…/i` suffix or a leading `(?i)`). */
  flags?: string;
  /** Identifiers written with backquotes are never keywords. */
  quoted?: boolean;
}

/** Time units of bin()/datefloor(), with AWS's abbreviations (plurals accepted). */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1, msec: 1, millisecond: 1,
  s: 1000, sec: 1000, second: 1000,
  m: 60_000, min: 60_000, minute: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000,
  d: 86_400_000, day: 86_400_000,
  w: 604_800_000, week: 604_800_000,
};

/** Milliseconds of a unit name, or undefined. */
export function unitMs(unit: string): number | undefined {
  const lower = unit.toLowerCase();
  return UNIT_MS[lower] ?? (lower.length > 2 && lower.endsWith("s") ? UNIT_MS[lower.slice(0, -1)] : undefined);
}

/** Words after which a `/` starts a regex rather than a division. */
const EXPECTS_VALUE = new Set(["like", "and", "or", "not", "in", "parse", "filter", "fields", "by", "display"]);
const TWO_CHAR_OPS = new Set(["!=", "<=", ">=", "=~"]);
const ONE_CHAR_OPS = new Set(["|", ",", "(", ")", "[", "]", "=", "<", ">", "+", "-", "*", "/", "%", "^"]);

/** Splits a query into tokens (ending with an `eof` token). @throws MalformedQueryError */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (problem: string, start: number, end = start + 1): never => {
    throw new MalformedQueryError(problem, { start, end }, text);
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      while (i < text.length && isIdentPart(text[i]!)) i++;
      tokens.push({ kind: "ident", text: text.slice(start, i), span: { start, end: i } });
      continue;
    }
    if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) fail("Unterminated backquoted field name", start, text.length);
      tokens.push({ kind: "ident", text: text.slice(i + 1, close), span: { start, end: close + 1 }, quoted: true });
      i = close + 1;
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))!;
      i += match[0].length;
      const value = Number(match[0]);
      if (isLetter(text[i] ?? "")) {
        const unitStart = i;
        while (i < text.length && isLetter(text[i]!)) i++;
        const unit = text.slice(unitStart, i);
        const ms = unitMs(unit);
        if (ms === undefined) fail(`Unknown time unit "${unit}"`, unitStart, i);
        tokens.push({ kind: "duration", text: text.slice(start, i), span: { start, end: i }, value: value * ms! });
      } else {
        tokens.push({ kind: "number", text: match[0], span: { start, end: i }, value });
      }
      continue;
    }
    if (c === "\"" || c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) fail("Unterminated string literal", start, text.length);
        const ch = text[i]!;
        if (ch === c) break;
        if (ch === "\\" && i + 1 < text.length) {
          const next = text[i + 1]!;
          value += next === "n" ? "\n" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ kind: "string", text: value, span: { start, end: i } });
      continue;
    }
    if (c === "/" && regexAllowed(tokens)) {
      let source = "";
      i++;
      let inClass = false;
      for (;;) {
        if (i >= text.length || text[i] === "\n") fail("Unterminated regular expression", start, i);
        const ch = text[i]!;
        if (ch === "\\" && i + 1 < text.length) {
          source += ch + text[i + 1]!;
          i += 2;
          continue;
        }
        if (ch === "[") inClass = true;
        else if (ch === "]") inClass = false;
        else if (ch === "/" && !inClass) break;
        source += ch;
        i++;
      }
      i++;
      let flags = "";
      while (i < text.length && (text[i] === "i" || text[i] === "m" || text[i] === "s")) flags += text[i++];
      if (source.startsWith("(?i)")) {
        source = source.slice(4);
        if (!flags.includes("i")) flags += "i";
      }
      tokens.push({ kind: "regex", text: source, span: { start, end: i }, flags });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: "op", text: two, span: { start, end: i + 2 } });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: "op", text: c, span: { start, end: i + 1 } });
      i++;
      continue;
    }
    fail(`Unexpected character "${c}"`, start);
  }
  tokens.push({ kind: "eof", text: "", span: { start: text.length, end: text.length } });
  return tokens;
}

function regexAllowed(tokens: readonly Token[]): boolean {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined) return true;
  if (previous.kind === "op") return previous.text !== ")" && previous.text !== "]";
  if (previous.kind === "ident" && !previous.quoted) {
    if (EXPECTS_VALUE.has(previous.text.toLowerCase())) return true;
    // `parse @message /re/`: the field right after `parse` is followed by the pattern.
    const beforePrevious = tokens[tokens.length - 2];
    return beforePrevious?.kind === "ident" && beforePrevious.text.toLowerCase() === "parse";
  }
  return false;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

function isIdentStart(c: string): boolean {
  return isLetter(c) || c === "_" || c === "@" || c === "$";
}

function isIdentPart(c: string): boolean {
  return isLetter(c) || isDigit(c) || c === "_" || c === "." || c === "@" || c === "$";
}
