/**
 * The subset of X-Ray filter expressions the simulator understands, parsed into a small AST:
 *
 *   expr     := or
 *   or       := and (("OR" | "||") and)*
 *   and      := unary (("AND" | "&&") unary)*
 *   unary    := ("NOT" | "!") unary | primary
 *   primary  := "(" expr ")"
 *             | ok | error | fault | throttle            [= true|false]
 *             | responsetime | duration | http.status   (= != < <= > >=) number
 *             | http.method | http.url | http.useragent | http.clientip
 *                                                        (= != CONTAINS BEGINSWITH ENDSWITH) "string"
 *             | service(id) ["{" expr "}"] | edge(id, id) ["{" expr "}"]
 *   id       := "name" | id(name: "name", type: "type")
 *
 * Inside `{ }` the keywords ok/error/fault/throttle/responsetime refer to the service or edge.
 * Anything else (annotations, users, root causes, groups) is rejected with the position of
 * the first character the parser could not accept, so a caller never gets a silently
 * ignored condition.
 */

export type StatusFlag = "ok" | "error" | "fault" | "throttle";
export type NumberField = "responsetime" | "duration" | "http.status";
export type StringField = "http.method" | "http.url" | "http.useragent" | "http.clientip";
export type NumberOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type StringOperator = "=" | "!=" | "CONTAINS" | "BEGINSWITH" | "ENDSWITH";

/** A service as a filter names it: by name, type or both. */
export interface ServiceMatcher {
  name: string | undefined;
  type: string | undefined;
}

export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "flag"; flag: StatusFlag; expected: boolean }
  | { kind: "number"; field: NumberField; operator: NumberOperator; value: number }
  | { kind: "string"; field: StringField; operator: StringOperator; value: string }
  | { kind: "service"; service: ServiceMatcher; where: FilterNode | undefined }
  | { kind: "edge"; from: ServiceMatcher; to: ServiceMatcher; where: FilterNode | undefined };

/** A filter expression the simulator cannot accept; `position` is 0-based into the text. */
export class FilterExpressionError extends Error {
  override readonly name = "FilterExpressionError";
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`Invalid FilterExpression at position ${position}: ${reason}`);
  }
}

/** X-Ray's documented maximum length of a filter expression. */
export const MAX_FILTER_LENGTH = 2000;

type TokenKind = "word" | "string" | "number" | "symbol" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const SYMBOLS = ["&&", "||", "!=", "<=", ">=", "=", "<", ">", "!", "(", ")", "{", "}", ",", ":"];
const FLAGS = new Set<string>(["ok", "error", "fault", "throttle"]);
const NUMBER_FIELDS = new Set<string>(["responsetime", "duration", "http.status"]);
const STRING_FIELDS = new Set<string>(["http.method", "http.url", "http.useragent", "http.clientip"]);
const NUMBER_OPERATORS = new Set<string>(["=", "!=", "<", "<=", ">", ">="]);
const STRING_OPERATORS = new Set<string>(["=", "!=", "CONTAINS", "BEGINSWITH", "ENDSWITH"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"') {
      let value = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new FilterExpressionError("unterminated string", start);
      i++;
      tokens.push({ kind: "string", text: value, position: start });
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (number !== null && (ch !== "-" || tokens.at(-1)?.kind !== "number")) {
      i += number[0].length;
      tokens.push({ kind: "number", text: number[0], position: start });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.:-]*/.exec(text.slice(i));
    if (word !== null) {
      // A trailing ":" belongs to `name:` inside id(...), not to the word.
      const value = word[0].endsWith(":") ? word[0].slice(0, -1) : word[0];
      i += value.length;
      tokens.push({ kind: "word", text: value, position: start });
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol === undefined) throw new FilterExpressionError(`unexpected character "${ch}"`, start);
    i += symbol.length;
    tokens.push({ kind: "symbol", text: symbol, position: start });
  }
  tokens.push({ kind: "end", text: "", position: text.length });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== "end") this.index++;
    return token;
  }

  private isWord(token: Token, upper: string): boolean {
    return token.kind === "word" && token.text.toUpperCase() === upper;
  }

  private expectSymbol(symbol: string): Token {
    const token = this.next();
    if (token.kind !== "symbol" || token.text !== symbol) throw this.unexpected(token, `expected "${symbol}"`);
    return token;
  }

  private unexpected(token: Token, expected: string): FilterExpressionError {
    const found = token.kind === "end" ? "end of expression" : `"${token.text}"`;
    return new FilterExpressionError(`${expected}, found ${found}`, token.position);
  }

  parseAll(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== "end") throw this.unexpected(rest, "expected AND, OR or the end of the expression");
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    for (;;) {
      const token = this.peek();
      if (!this.isWord(token, "OR") && !(token.kind === "symbol" && token.text === "||")) return left;
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (!this.isWord(token, "AND") && !(token.kind === "symbol" && token.text === "&&")) return left;
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (this.isWord(token, "NOT") || (token.kind === "symbol" && token.text === "!")) {
      this.next();
      return { kind: "not", operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.next();
    if (token.kind === "symbol" && token.text === "(") {
      const inner = this.parseOr();
      this.expectSymbol(")");
      return inner;
    }
    if (token.kind !== "word") throw this.unexpected(token, "expected a keyword, service() or edge()");
    const word = token.text.toLowerCase();
    if (word === "service") {
      this.expectSymbol("(");
      const service = this.parseServiceId();
      this.expectSymbol(")");
      return { kind: "service", service, where: this.parseWhere() };
    }
    if (word === "edge") {
      this.expectSymbol("(");
      const from = this.parseServiceId();
      this.expectSymbol(",");
      const to = this.parseServiceId();
      this.expectSymbol(")");
      return { kind: "edge", from, to, where: this.parseWhere() };
    }
    if (FLAGS.has(word)) return this.parseFlag(word as StatusFlag);
    if (NUMBER_FIELDS.has(word)) return this.parseNumberComparison(word as NumberField);
    if (STRING_FIELDS.has(word)) return this.parseStringComparison(word as StringField);
    throw new FilterExpressionError(`unsupported keyword "${token.text}"`, token.position);
  }

  private parseWhere(): FilterNode | undefined {
    const token = this.peek();
    if (token.kind !== "symbol" || token.text !== "{") return undefined;
    this.next();
    const where = this.parseOr();
    this.expectSymbol("}");
    return where;
  }

  /** `"name"` or `id(name: "name", type: "type")` (either argument may be left out). */
  private parseServiceId(): ServiceMatcher {
    const token = this.next();
    if (token.kind === "string") return { name: token.text, type: undefined };
    if (token.kind !== "word" || token.text.toLowerCase() !== "id") throw this.unexpected(token, 'expected a service name or id(name: "...", type: "...")');
    this.expectSymbol("(");
    const matcher: ServiceMatcher = { name: undefined, type: undefined };
    for (;;) {
      const key = this.next();
      if (key.kind !== "word" || (key.text !== "name" && key.text !== "type")) throw this.unexpected(key, "expected name: or type:");
      this.expectSymbol(":");
      const value = this.next();
      if (value.kind !== "string") throw this.unexpected(value, "expected a quoted string");
      matcher[key.text] = value.text;
      const separator = this.next();
      if (separator.kind === "symbol" && separator.text === ")") return matcher;
      if (separator.kind !== "symbol" || separator.text !== ",") throw this.unexpected(separator, 'expected "," or ")"');
    }
  }

  private parseFlag(flag: StatusFlag): FilterNode {
    const token = this.peek();
    if (token.kind !== "symbol" || (token.text !== "=" && token.text !== "!=")) return { kind: "flag", flag, expected: true };
    this.next();
    const value = this.next();
    const lower = value.text.toLowerCase();
    if (value.kind !== "word" || (lower !== "true" && lower !== "false")) throw this.unexpected(value, "expected true or false");
    return { kind: "flag", flag, expected: (lower === "true") === (token.text === "=") };
  }

  private parseNumberComparison(field: NumberField): FilterNode {
    const operator = this.next();
    if (operator.kind !== "symbol" || !NUMBER_OPERATORS.has(operator.text)) throw this.unexpected(operator, "expected a comparison (=, !=, <, <=, >, >=)");
    const value = this.next();
    if (value.kind !== "number") throw this.unexpected(value, "expected a number");
    return { kind: "number", field, operator: operator.text as NumberOperator, value: Number(value.text) };
  }

  private parseStringComparison(field: StringField): FilterNode {
    const operator = this.next();
    const text = operator.kind === "word" ? operator.text.toUpperCase() : operator.text;
    if ((operator.kind !== "symbol" && operator.kind !== "word") || !STRING_OPERATORS.has(text)) {
      throw this.unexpected(operator, "expected =, !=, CONTAINS, BEGINSWITH or ENDSWITH");
    }
    const value = this.next();
    if (value.kind !== "string") throw this.unexpected(value, "expected a quoted string");
    return { kind: "string", field, operator: text as StringOperator, value: value.text };
  }
}

/**
 * Parses a filter expression.
 * @throws FilterExpressionError naming the position of the first unacceptable token.
 */
export function parseFilterExpression(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterExpressionError(`the expression is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  }
  if (text.trim() === "") throw new FilterExpressionError("the expression is empty", 0);
  return new Parser(tokenize(text)).parseAll();
}
