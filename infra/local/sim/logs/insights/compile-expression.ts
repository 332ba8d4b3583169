import type { Expr, Span } from "./ast";
import { MalformedQueryError } from "./malformed-query-error";
import { compareForFilter, isTruthy, messageIncludes, readField, toNumber, type InsightsRecord, type Value } from "./values";

/**
 * Compiles expressions to closures over a record, once per query, so evaluating a record is a
 * few direct calls (no tree walking, no name lookups beyond the record's own fields).
 */

export type Evaluator = (record: InsightsRecord) => Value;

export interface CompiledExpr {
  evaluate: Evaluator;
  /** The value is an epoch-ms timestamp (formatted as a date). */
  isTime: boolean;
}

/** Aggregate functions: only valid inside `stats`. */
export const AGGREGATE_FUNCTIONS = new Set(["count", "count_distinct", "sum", "avg", "min", "max", "pct", "percentile", "stddev"]);

export interface CompileContext {
  text: string;
  /** Columns known to hold timestamps (discovered @timestamp and fields derived from it). */
  timeFields: ReadonlySet<string>;
  /** Inside a stats item: compiles an aggregate call to a reader of its result. */
  aggregate?: (call: Extract<Expr, { kind: "call" }>) => CompiledExpr;
  /** What a bare field inside a stats item is (an error unless the caller allows it). */
  statsItem?: boolean;
}

interface ScalarFunction {
  minArgs: number;
  maxArgs: number;
  apply: (args: Value[]) => Value;
  isTime?: boolean;
}

const num = toNumber;
const str = (value: Value): string | undefined => (value === undefined ? undefined : typeof value === "string" ? value : String(value));
const numeric = (f: (x: number) => number) => (args: Value[]): Value => {
  const x = num(args[0]);
  return x === undefined ? undefined : f(x);
};

const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  abs: { minArgs: 1, maxArgs: 1, apply: numeric(Math.abs) },
  floor: { minArgs: 1, maxArgs: 1, apply: numeric(Math.floor) },
  ceil: { minArgs: 1, maxArgs: 1, apply: numeric(Math.ceil) },
  sqrt: { minArgs: 1, maxArgs: 1, apply: numeric((x) => (x < 0 ? Number.NaN : Math.sqrt(x))) },
  log: { minArgs: 1, maxArgs: 1, apply: numeric((x) => (x <= 0 ? Number.NaN : Math.log(x))) },
  greatest: { minArgs: 1, maxArgs: 100, apply: (args) => extreme(args, 1) },
  least: { minArgs: 1, maxArgs: 100, apply: (args) => extreme(args, -1) },
  coalesce: { minArgs: 1, maxArgs: 100, apply: (args) => args.find((value) => value !== undefined) },
  concat: { minArgs: 1, maxArgs: 100, apply: (args) => args.map(str).filter((s) => s !== undefined).join("") },
  strlen: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.length },
  tolower: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.toLowerCase() },
  toupper: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.toUpperCase() },
  trim: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.trim() },
  ltrim: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.trimStart() },
  rtrim: { minArgs: 1, maxArgs: 1, apply: ([s]) => str(s)?.trimEnd() },
  // AWS returns 1 or 0 (not a boolean), which is what makes sum(strcontains(...)) count lines.
  strcontains: {
    minArgs: 2,
    maxArgs: 2,
    apply: ([s, search]) => {
      const text = str(s);
      const needle = str(search);
      return text === undefined || needle === undefined ? undefined : text.includes(needle) ? 1 : 0;
    },
  },
  substr: {
    minArgs: 2,
    maxArgs: 3,
    apply: ([s, start, length]) => {
      const text = str(s);
      const from = num(start);
      if (text === undefined || from === undefined) return undefined;
      const count = num(length);
      return count === undefined ? text.slice(from) : text.slice(from, from + count);
    },
  },
  replace: {
    minArgs: 3,
    maxArgs: 3,
    apply: ([s, search, replacement]) => {
      const text = str(s);
      const needle = str(search);
      return text === undefined || needle === undefined ? text : text.split(needle).join(str(replacement) ?? "");
    },
  },
  ispresent: { minArgs: 1, maxArgs: 1, apply: ([value]) => value !== undefined },
  isempty: { minArgs: 1, maxArgs: 1, apply: ([value]) => value === undefined || value === "" },
  isblank: { minArgs: 1, maxArgs: 1, apply: ([value]) => value === undefined || (typeof value === "string" && value.trim() === "") },
  tonumber: { minArgs: 1, maxArgs: 1, apply: ([value]) => num(value) },
  frommillis: { minArgs: 1, maxArgs: 1, apply: ([value]) => num(value), isTime: true },
  tomillis: { minArgs: 1, maxArgs: 1, apply: ([value]) => num(value) },
};

/** Functions whose second argument (or only argument, for bin) is a time span literal. */
const TIME_ROUNDING = new Set(["bin", "datefloor", "dateceil"]);

function extreme(args: Value[], sign: 1 | -1): Value {
  let best: number | undefined;
  for (const arg of args) {
    const x = num(arg);
    if (x !== undefined && (best === undefined || (x - best) * sign > 0)) best = x;
  }
  return best;
}

/** Compiles one expression. @throws MalformedQueryError for unknown functions, misuse of aggregates, bad arguments. */
export function compileExpression(expr: Expr, context: CompileContext): CompiledExpr {
  const fail = (problem: string, span: Span): never => {
    throw new MalformedQueryError(problem, span, context.text);
  };
  const compile = (e: Expr): CompiledExpr => compileExpression(e, context);

  switch (expr.kind) {
    case "field": {
      if (context.statsItem) {
        fail(`The field ${expr.name} must be inside an aggregate function such as count(), avg() or pct() (or listed after "by")`, expr.span);
      }
      const name = internedFieldName(expr.name);
      return { evaluate: (record) => readField(record, name), isTime: context.timeFields.has(name) };
    }
    case "number": {
      const { value } = expr;
      return { evaluate: () => value, isTime: false };
    }
    case "string": {
      const { value } = expr;
      return { evaluate: () => value, isTime: false };
    }
    case "regex":
      return fail("A regular expression can only follow like, =~ or parse", expr.span);
    case "duration":
      return fail("A time span such as 5m can only be an argument of bin(), datefloor() or dateceil()", expr.span);
    case "star":
      return fail("* can only be an argument of count()", expr.span);
    case "unary": {
      const operand = compile(expr.operand).evaluate;
      if (expr.op === "not") return { evaluate: (record) => !isTruthy(operand(record)), isTime: false };
      return {
        evaluate: (record) => {
          const x = num(operand(record));
          return x === undefined ? undefined : -x;
        },
        isTime: false,
      };
    }
    case "binary":
      return compileBinary(expr, compile);
    case "like": {
      const operand = compile(expr.operand).evaluate;
      const { negated } = expr;
      const literal = expr.pattern.kind === "regex" ? literalText(expr.pattern.regex) : undefined;
      if (expr.pattern.kind === "regex" && literal === undefined) {
        const regex = expr.pattern.regex;
        return {
          evaluate: (record) => {
            const value = str(operand(record));
            return value === undefined ? false : regex.test(value) !== negated;
          },
          isTime: false,
        };
      }
      // A string, or a regex that is plain text (/Task timed out/): a substring test.
      const needle = literal ?? (expr.pattern.kind === "string" ? expr.pattern.value : "");
      if (isMessageField(expr.operand)) {
        return {
          evaluate: (record) => {
            const found = messageIncludes(record, needle);
            return found === undefined ? false : found !== negated;
          },
          isTime: false,
        };
      }
      return {
        evaluate: (record) => {
          const value = str(operand(record));
          return value === undefined ? false : value.includes(needle) !== negated;
        },
        isTime: false,
      };
    }
    case "in": {
      const operand = compile(expr.operand).evaluate;
      const list = expr.list.map((item) => compile(item).evaluate);
      const { negated } = expr;
      return {
        evaluate: (record) => {
          const value = operand(record);
          if (value === undefined) return false;
          const found = list.some((item) => compareForFilter(value, item(record)) === 0);
          return found !== negated;
        },
        isTime: false,
      };
    }
    case "call":
      return compileCall(expr, context, compile, fail);
  }
}

function compileBinary(expr: Extract<Expr, { kind: "binary" }>, compile: (e: Expr) => CompiledExpr): CompiledExpr {
  const left = compile(expr.left).evaluate;
  const right = compile(expr.right).evaluate;
  const arithmetic = (f: (x: number, y: number) => number): CompiledExpr => ({
    evaluate: (record) => {
      const x = num(left(record));
      if (x === undefined) return undefined;
      const y = num(right(record));
      if (y === undefined) return undefined;
      const result = f(x, y);
      return Number.isFinite(result) ? result : undefined;
    },
    isTime: false,
  });
  // `field = "text"` and `!=`: for a string value the order is 0 exactly when the strings are equal.
  const literal = expr.right.kind === "string" ? expr.right.value : undefined;
  if (literal !== undefined && (expr.op === "=" || expr.op === "!=")) {
    const equal = expr.op === "=";
    return {
      evaluate: (record) => {
        const value = left(record);
        if (typeof value === "string") return (value === literal) === equal;
        const order = compareForFilter(value, literal);
        return order === undefined ? false : (order === 0) === equal;
      },
      isTime: false,
    };
  }
  const comparison = (test: (order: number) => boolean): CompiledExpr => ({
    evaluate: (record) => {
      const order = compareForFilter(left(record), right(record));
      return order === undefined ? false : test(order);
    },
    isTime: false,
  });
  switch (expr.op) {
    case "+":
      return arithmetic((x, y) => x + y);
    case "-":
      return arithmetic((x, y) => x - y);
    case "*":
      return arithmetic((x, y) => x * y);
    case "/":
      return arithmetic((x, y) => x / y);
    case "%":
      return arithmetic((x, y) => x % y);
    case "^":
      return arithmetic((x, y) => x ** y);
    case "=":
      return comparison((order) => order === 0);
    case "!=":
      return comparison((order) => order !== 0);
    case "<":
      return comparison((order) => order < 0);
    case "<=":
      return comparison((order) => order <= 0);
    case ">":
      return comparison((order) => order > 0);
    case ">=":
      return comparison((order) => order >= 0);
    case "and":
      return { evaluate: (record) => isTruthy(left(record)) && isTruthy(right(record)), isTime: false };
    case "or":
      return { evaluate: (record) => isTruthy(left(record)) || isTruthy(right(record)), isTime: false };
  }
}

function compileCall(
  expr: Extract<Expr, { kind: "call" }>,
  context: CompileContext,
  compile: (e: Expr) => CompiledExpr,
  fail: (problem: string, span: Span) => never,
): CompiledExpr {
  const { name, args } = expr;
  if (AGGREGATE_FUNCTIONS.has(name)) {
    if (context.aggregate === undefined) {
      return fail(`The aggregate function ${name}() can only be used in stats`, expr.nameSpan);
    }
    return context.aggregate(expr);
  }
  // Inside a stats item, scalar functions may wrap aggregates (`ceil(avg(@duration))`).
  if (TIME_ROUNDING.has(name)) {
    const spanArg = name === "bin" ? args[0] : args[1];
    const expected = name === "bin" ? 1 : 2;
    if (args.length !== expected || spanArg?.kind !== "duration" || spanArg.ms <= 0) {
      return fail(`${name}() takes ${name === "bin" ? "a time span, e.g. bin(5m)" : "a timestamp and a time span, e.g. datefloor(@timestamp, 1h)"}`, expr.span);
    }
    const periodMs = spanArg.ms;
    const timestamp = name === "bin"
      ? (record: InsightsRecord) => readField(record, "@timestamp")
      : compile(args[0]!).evaluate;
    const ceil = name === "dateceil";
    return {
      evaluate: (record) => {
        const ms = num(timestamp(record));
        if (ms === undefined) return undefined;
        return ceil ? Math.ceil(ms / periodMs) * periodMs : Math.floor(ms / periodMs) * periodMs;
      },
      isTime: true,
    };
  }
  const fn = SCALAR_FUNCTIONS[name];
  if (fn === undefined) return fail(`Unknown function ${name}()`, expr.nameSpan);
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs >= 100 ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    return fail(`${name}() takes ${expected} argument(s), not ${args.length}`, expr.span);
  }
  const compiled = args.map(compile);
  const needle = args[1]?.kind === "string" ? args[1].value : undefined;
  if (name === "strcontains" && needle !== undefined && isMessageField(args[0]!)) {
    return {
      evaluate: (record) => {
        const found = messageIncludes(record, needle);
        return found === undefined ? undefined : found ? 1 : 0;
      },
      isTime: false,
    };
  }
  const evaluators = compiled.map((c) => c.evaluate);
  const isTime = fn.isTime === true || (name === "coalesce" && compiled[0]?.isTime === true);
  const apply = fn.apply;
  // One argument array per call site, refilled per record: an expression never re-enters its
  // own call while evaluating its arguments, and no function keeps its arguments.
  const values: Value[] = [undefined, undefined];
  if (evaluators.length === 1) {
    values.length = 1;
    const only = evaluators[0]!;
    return {
      evaluate: (record) => {
        values[0] = only(record);
        return apply(values);
      },
      isTime,
    };
  }
  if (evaluators.length === 2) {
    const [first, second] = evaluators as [Evaluator, Evaluator];
    return {
      evaluate: (record) => {
        const x = first(record);
        values[1] = second(record);
        values[0] = x;
        return apply(values);
      },
      isTime,
    };
  }
  return { evaluate: (record) => apply(evaluators.map((evaluate) => evaluate(record))), isTime };
}

/** The text a regex matches when it is plain text (no metacharacters, no case folding), else undefined. */
function literalText(regex: RegExp): string | undefined {
  return (regex.flags === "" || regex.flags === "s") && !/[\\^$.|?*+()[\]{}]/.test(regex.source) ? regex.source : undefined;
}

function isMessageField(expr: Expr): boolean {
  return expr.kind === "field" && expr.name === "@message";
}

/** Discovered field names as string constants: records compare names in `switch`es, fastest against the same constants. */
const KNOWN_FIELDS = new Map(
  [
    "@timestamp", "@message", "@log", "@logStream", "@ingestionTime", "@type", "@requestId", "@duration", "@billedDuration",
    "@memorySize", "@maxMemoryUsed", "@initDuration", "@xrayTraceId", "@xraySegmentId", "@ptr",
  ].map((name) => [name, name]),
);

function internedFieldName(name: string): string {
  return KNOWN_FIELDS.get(name) ?? name;
}
