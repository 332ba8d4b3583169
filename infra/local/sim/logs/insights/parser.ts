import type { Command, Expr, NamedExpr, ParsePattern, Query, SortKey, Span } from "./ast";
import { tokenize, type Token } from "./lexer";
import { MalformedQueryError } from "./malformed-query-error";

/**
 * Recursive-descent parser for Logs Insights queries: commands separated by `|`, expressions
 * with the usual precedence (or < and < not < comparison < + - < * / % < ^ < unary minus).
 * Errors name the problem and carry the span of the token that caused it.
 */

/** The most rows a query may ask for (`limit` and StartQuery's `limit`). */
export const MAX_QUERY_LIMIT = 10_000;

const COMMANDS = new Set(["fields", "display", "filter", "parse", "stats", "sort", "limit", "dedup"]);
const KEYWORDS = new Set(["and", "or", "not", "like", "in", "as", "by", "asc", "desc"]);
const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);

/** Parses a query string. @throws MalformedQueryError */
export function parseQuery(text: string): Query {
  return new Parser(text).parse();
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): Query {
    if (this.peek().kind === "eof") this.fail("The query is empty", this.peek().span);
    const commands: Command[] = [this.command()];
    while (this.isOp("|")) {
      this.next();
      commands.push(this.command());
    }
    const extra = this.peek();
    if (extra.kind !== "eof") this.fail(`Unexpected ${describe(extra)}: expected "|" or the end of the query`, extra.span);
    return { text: this.text, commands };
  }

  private command(): Command {
    const token = this.peek();
    if (token.kind !== "ident" || token.quoted || !COMMANDS.has(token.text.toLowerCase())) {
      const problem = token.kind === "ident"
        ? `Unknown command "${token.text}"; supported: ${[...COMMANDS].join(", ")}`
        : `Unexpected ${describe(token)}: expected a command`;
      this.fail(problem, token.span);
    }
    this.next();
    const name = token.text.toLowerCase();
    const start = token.span.start;
    switch (name) {
      case "fields":
      case "display": {
        const items = this.namedList(`${name} needs at least one field`);
        return { kind: name, items, span: this.spanFrom(start) };
      }
      case "filter":
        return { kind: "filter", expr: this.expression(), span: this.spanFrom(start) };
      case "parse":
        return this.parseCommand(start);
      case "stats":
        return this.statsCommand(start);
      case "sort": {
        const keys: SortKey[] = [this.sortKey()];
        while (this.isOp(",")) {
          this.next();
          keys.push(this.sortKey());
        }
        return { kind: "sort", keys, span: this.spanFrom(start) };
      }
      case "limit": {
        const count = this.peek();
        if (count.kind !== "number" || !Number.isInteger(count.value) || (count.value ?? 0) < 1 || (count.value ?? 0) > MAX_QUERY_LIMIT) {
          this.fail(`limit needs a whole number from 1 to ${MAX_QUERY_LIMIT}`, count.span);
        }
        this.next();
        return { kind: "limit", count: count.value!, span: this.spanFrom(start) };
      }
      default: {
        const fields = this.namedList("dedup needs at least one field");
        for (const field of fields) {
          if (field.expr.kind !== "field") this.fail("dedup takes field names only", field.span);
        }
        return { kind: "dedup", fields, span: this.spanFrom(start) };
      }
    }
  }

  private parseCommand(start: number): Command {
    let source: Expr = { kind: "field", name: "@message", span: { start, end: start } };
    if (this.peek().kind === "ident" && !this.isKeyword(this.peek())) source = this.primary();
    const patternToken = this.peek();
    let pattern: ParsePattern;
    if (patternToken.kind === "string") {
      this.next();
      const wildcards = patternToken.text.split("*").length - 1;
      if (wildcards === 0) this.fail("A parse pattern needs at least one * wildcard", patternToken.span);
      if (!this.isWord("as")) this.fail(`Expected "as" and ${wildcards} field name(s) after the parse pattern`, this.peek().span);
      this.next();
      const names = this.identList();
      if (names.length !== wildcards) {
        this.fail(`The parse pattern has ${wildcards} wildcard(s) but ${names.length} field name(s) were given`, patternToken.span);
      }
      pattern = { kind: "glob", regex: globToRegex(patternToken.text), names };
    } else if (patternToken.kind === "regex") {
      this.next();
      const regex = this.compileRegex(patternToken);
      const names = [...patternToken.text.matchAll(/\(\?<([A-Za-z_$][A-Za-z0-9_$]*)>/g)].map((m) => m[1]!);
      if (names.length === 0) this.fail("A parse regular expression needs named groups, e.g. (?<field>\\S+)", patternToken.span);
      pattern = { kind: "regex", regex, names };
    } else {
      this.fail(`Unexpected ${describe(patternToken)}: expected a parse pattern ("glob *" or /regex/)`, patternToken.span);
    }
    return { kind: "parse", source, pattern: pattern!, span: this.spanFrom(start) };
  }

  private statsCommand(start: number): Command {
    const items: NamedExpr[] = [this.namedExpr()];
    while (this.isOp(",")) {
      this.next();
      items.push(this.namedExpr());
    }
    let by: NamedExpr[] = [];
    if (this.isWord("by")) {
      this.next();
      by = this.namedList("by needs at least one field or bin()");
    }
    return { kind: "stats", items, by, span: this.spanFrom(start) };
  }

  private sortKey(): SortKey {
    const expr = this.expression();
    const name = this.text.slice(expr.span.start, expr.span.end);
    let descending = false;
    if (this.isWord("desc")) {
      this.next();
      descending = true;
    } else if (this.isWord("asc")) {
      this.next();
    }
    return { expr, name, descending };
  }

  private namedList(emptyProblem: string): NamedExpr[] {
    const next = this.peek();
    if (next.kind === "eof" || this.isOp("|")) this.fail(emptyProblem, next.span);
    const items = [this.namedExpr()];
    while (this.isOp(",")) {
      this.next();
      items.push(this.namedExpr());
    }
    return items;
  }

  private namedExpr(): NamedExpr {
    const expr = this.expression();
    let name = this.text.slice(expr.span.start, expr.span.end);
    let end = expr.span.end;
    if (this.isWord("as")) {
      this.next();
      const alias = this.peek();
      if (alias.kind !== "ident") this.fail(`Unexpected ${describe(alias)}: expected a field name after "as"`, alias.span);
      this.next();
      name = alias.text;
      end = alias.span.end;
    }
    return { expr, name, span: { start: expr.span.start, end } };
  }

  private identList(): string[] {
    const names: string[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind !== "ident" || this.isKeyword(token)) this.fail(`Unexpected ${describe(token)}: expected a field name`, token.span);
      this.next();
      names.push(token.text);
      if (!this.isOp(",")) return names;
      this.next();
    }
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────

  private expression(): Expr {
    return this.orExpr();
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.isWord("or")) {
      this.next();
      const right = this.andExpr();
      left = { kind: "binary", op: "or", left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isWord("and")) {
      this.next();
      const right = this.notExpr();
      left = { kind: "binary", op: "and", left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private notExpr(): Expr {
    if (this.isWord("not")) {
      const start = this.next().span.start;
      const operand = this.notExpr();
      return { kind: "unary", op: "not", operand, span: { start, end: operand.span.end } };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === "op" && COMPARISONS.has(token.text)) {
      this.next();
      const right = this.additive();
      return { kind: "binary", op: token.text as "=", left, right, span: join(left.span, right.span) };
    }
    if (token.kind === "op" && token.text === "=~") {
      this.next();
      const pattern = this.likePattern(true);
      return { kind: "like", negated: false, operand: left, pattern, span: join(left.span, pattern.span) };
    }
    let negated = false;
    if (this.isWord("not") && (this.isWord("like", 1) || this.isWord("in", 1))) {
      this.next();
      negated = true;
    }
    if (this.isWord("like")) {
      this.next();
      const pattern = this.likePattern(false);
      return { kind: "like", negated, operand: left, pattern, span: join(left.span, pattern.span) };
    }
    if (this.isWord("in")) {
      this.next();
      const open = this.peek();
      if (!this.isOp("[")) this.fail(`Unexpected ${describe(open)}: expected "[" after "in"`, open.span);
      this.next();
      const list: Expr[] = [];
      if (!this.isOp("]")) {
        list.push(this.additive());
        while (this.isOp(",")) {
          this.next();
          list.push(this.additive());
        }
      }
      const close = this.peek();
      if (!this.isOp("]")) this.fail(`Unexpected ${describe(close)}: expected "," or "]"`, close.span);
      this.next();
      return { kind: "in", negated, operand: left, list, span: { start: left.span.start, end: close.span.end } };
    }
    if (negated) this.fail(`Expected "like" or "in" after "not"`, this.peek().span);
    return left;
  }

  private likePattern(regexOnly: boolean): Expr {
    const token = this.peek();
    if (token.kind === "regex") {
      this.next();
      return { kind: "regex", regex: this.compileRegex(token), span: token.span };
    }
    if (token.kind === "string" && !regexOnly) {
      this.next();
      return { kind: "string", value: token.text, span: token.span };
    }
    return this.fail(`Unexpected ${describe(token)}: expected ${regexOnly ? "a /regex/" : "a /regex/ or a \"string\""}`, token.span);
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().text as "+" | "-";
      const right = this.multiplicative();
      left = { kind: "binary", op, left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.power();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next().text as "*" | "/" | "%";
      const right = this.power();
      left = { kind: "binary", op, left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private power(): Expr {
    const base = this.unary();
    if (!this.isOp("^")) return base;
    this.next();
    const exponent = this.power();
    return { kind: "binary", op: "^", left: base, right: exponent, span: join(base.span, exponent.span) };
  }

  private unary(): Expr {
    if (this.isOp("-")) {
      const start = this.next().span.start;
      const operand = this.unary();
      return { kind: "unary", op: "-", operand, span: { start, end: operand.span.end } };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "number":
        this.next();
        return { kind: "number", value: token.value!, span: token.span };
      case "duration":
        this.next();
        return { kind: "duration", ms: token.value!, span: token.span };
      case "string":
        this.next();
        return { kind: "string", value: token.text, span: token.span };
      case "regex":
        this.next();
        return { kind: "regex", regex: this.compileRegex(token), span: token.span };
      case "ident": {
        if (this.isKeyword(token)) this.fail(`Unexpected keyword "${token.text}": expected a field, value or function`, token.span);
        this.next();
        if (!token.quoted && this.isOp("(")) return this.call(token);
        return { kind: "field", name: token.text, span: token.span };
      }
      case "op":
        if (token.text === "(") {
          this.next();
          const inner = this.expression();
          const close = this.peek();
          if (!this.isOp(")")) this.fail(`Unexpected ${describe(close)}: expected ")"`, close.span);
          this.next();
          // Keep the parentheses in the span so a column is named as written.
          return { ...inner, span: { start: token.span.start, end: close.span.end } };
        }
        break;
      default:
        break;
    }
    return this.fail(`Unexpected ${describe(token)}: expected a field, value or function`, token.span);
  }

  private call(nameToken: Token): Expr {
    this.next(); // (
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        if (this.isOp("*")) {
          const star = this.next();
          args.push({ kind: "star", span: star.span });
        } else {
          args.push(this.expression());
        }
        if (!this.isOp(",")) break;
        this.next();
      }
    }
    const close = this.peek();
    if (!this.isOp(")")) this.fail(`Unexpected ${describe(close)}: expected "," or ")" in the arguments of ${nameToken.text}`, close.span);
    this.next();
    return { kind: "call", name: nameToken.text.toLowerCase(), nameSpan: nameToken.span, args, span: { start: nameToken.span.start, end: close.span.end } };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────

  private compileRegex(token: Token): RegExp {
    try {
      // dotAll: messages can span lines (stack traces) and AWS's `.` matches newlines.
      return new RegExp(token.text, [...new Set(`${token.flags ?? ""}s`)].join(""));
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : "invalid";
      return this.fail(`Invalid regular expression: ${reason}`, token.span);
    }
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === "op" && token.text === text;
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === "ident" && !token.quoted && token.text.toLowerCase() === word;
  }

  private isKeyword(token: Token): boolean {
    return token.kind === "ident" && !token.quoted && KEYWORDS.has(token.text.toLowerCase());
  }

  private spanFrom(start: number): Span {
    const previous = this.tokens[Math.max(0, this.position - 1)]!;
    return { start, end: previous.span.end };
  }

  private fail(problem: string, span: Span): never {
    throw new MalformedQueryError(problem, span, this.text);
  }
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function describe(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of query";
    case "string":
      return `string "${token.text}"`;
    case "regex":
      return `regular expression /${token.text}/`;
    default:
      return `"${token.text}"`;
  }
}

/**
 * A glob (`"Duration: * ms"`) as a regex: literal text escaped, each `*` a lazy capture (the
 * last one greedy when the pattern ends with it, so it takes the rest of the line).
 */
export function globToRegex(glob: string): RegExp {
  const parts = glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  let source = "";
  parts.forEach((part, index) => {
    source += part;
    if (index < parts.length - 1) source += index === parts.length - 2 && parts[parts.length - 1] === "" ? "(.*)" : "(.*?)";
  });
  return new RegExp(source, "s");
}
