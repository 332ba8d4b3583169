/**
 * The syntax tree of a Logs Insights query (the subset the simulator interprets). Every node
 * keeps its source span so errors can point at it and unaliased columns can be named by their
 * source text, as AWS names them (`count(*)`, `bin(5m)`).
 */

/** Half-open character range [start, end) in the query string. */
export interface Span {
  start: number;
  end: number;
}

export type BinaryOperator =
  | "+" | "-" | "*" | "/" | "%" | "^"
  | "=" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or";

export type Expr =
  | { kind: "field"; name: string; span: Span }
  | { kind: "number"; value: number; span: Span }
  | { kind: "string"; value: string; span: Span }
  | { kind: "regex"; regex: RegExp; span: Span }
  /** A time span literal such as `5m` (only meaningful as an argument of bin/datefloor). */
  | { kind: "duration"; ms: number; span: Span }
  /** `*` as in `count(*)`. */
  | { kind: "star"; span: Span }
  | { kind: "unary"; op: "-" | "not"; operand: Expr; span: Span }
  | { kind: "binary"; op: BinaryOperator; left: Expr; right: Expr; span: Span }
  /** `x like /re/`, `x like "text"`, `x =~ /re/`, and their `not` forms. */
  | { kind: "like"; negated: boolean; operand: Expr; pattern: Expr; span: Span }
  | { kind: "in"; negated: boolean; operand: Expr; list: Expr[]; span: Span }
  | { kind: "call"; name: string; nameSpan: Span; args: Expr[]; span: Span };

/** An expression with the column name it produces (`as` alias, else its source text). */
export interface NamedExpr {
  expr: Expr;
  name: string;
  span: Span;
}

export interface SortKey {
  expr: Expr;
  /** Source text of the key (matched against column names first: `sort count(*) desc`). */
  name: string;
  descending: boolean;
}

export type ParsePattern =
  | { kind: "glob"; regex: RegExp; names: string[] }
  | { kind: "regex"; regex: RegExp; names: string[] };

export type Command =
  | { kind: "fields"; items: NamedExpr[]; span: Span }
  | { kind: "display"; items: NamedExpr[]; span: Span }
  | { kind: "filter"; expr: Expr; span: Span }
  | { kind: "parse"; source: Expr; pattern: ParsePattern; span: Span }
  | { kind: "stats"; items: NamedExpr[]; by: NamedExpr[]; span: Span }
  | { kind: "sort"; keys: SortKey[]; span: Span }
  | { kind: "limit"; count: number; span: Span }
  | { kind: "dedup"; fields: NamedExpr[]; span: Span };

export interface Query {
  text: string;
  commands: Command[];
}
