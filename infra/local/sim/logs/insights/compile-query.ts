import { analyseLogStreamParse } from "../log-stream-names";
import type { Command, Expr, NamedExpr, Query } from "./ast";
import type { AggregateSpec } from "./aggregates";
import { AGGREGATE_FUNCTIONS, compileExpression, type CompileContext, type CompiledExpr, type Evaluator } from "./compile-expression";
import { MalformedQueryError } from "./malformed-query-error";
import { parseQuery } from "./parser";
import { readField } from "./values";

/**
 * Turns a parsed query into executable stages, decides the output columns, the order the
 * source must deliver records in, and whether the query may run over weighted records (see
 * `weightedAllowed`).
 */

export interface NamedEvaluator {
  name: string;
  evaluate: Evaluator;
}

export interface AggregateSlot {
  spec: AggregateSpec;
  /** Undefined for count(*). */
  argument: Evaluator | undefined;
}

export type Stage =
  | { kind: "filter"; test: Evaluator }
  | { kind: "fields"; items: NamedEvaluator[] }
  | { kind: "parse"; source: Evaluator; regex: RegExp; names: string[] }
  | { kind: "stats"; slots: AggregateSlot[]; items: NamedEvaluator[]; by: (NamedEvaluator & { isTime: boolean })[] }
  | { kind: "sort"; keys: (NamedEvaluator & { descending: boolean })[] }
  | { kind: "limit"; count: number }
  | { kind: "dedup"; names: string[] };

export interface CompiledQuery {
  text: string;
  stages: Stage[];
  hasStats: boolean;
  /** Columns returned per row, in order. */
  columns: string[];
  /** Columns whose values are timestamps. */
  timeColumns: ReadonlySet<string>;
  /** The query has its own `limit` command. */
  hasLimit: boolean;
  /** Order the records must arrive in (newest first unless the query sorts by @timestamp asc). */
  sourceOrder: "desc" | "asc";
  /**
   * The query's result does not depend on line-level detail, so each function-minute may be
   * delivered as weighted records (one per class stratum) instead of one record per line: it
   * has stats, nothing before stats depends on record order, and nothing before or in stats
   * reads a per-line-unique field (@requestId, @logStream, ...), @timestamp other than through
   * bin() by whole minutes, or count_distinct; `by` keys are low-cardinality fields. The one
   * read of @logStream allowed is a `parse @logStream` that takes only its date and
   * `[version]` (e.g. `/\[(?<version>[^\]]+)\]/`), which makes low-cardinality fields.
   */
  weightedAllowed: boolean;
}

/** Fields with a different value on (almost) every line: they force one record per line. */
const PER_LINE_FIELDS = new Set(["@requestId", "@xrayTraceId", "@xraySegmentId", "@logStream", "@ingestionTime", "@ptr"]);
/** Fields whose values vary line to line (weighted records carry representative values). */
const CONTINUOUS_FIELDS = new Set(["@message", "@duration", "@billedDuration", "@maxMemoryUsed", "@initDuration", "@timestamp"]);
const DISCOVERED_TIME_FIELDS = ["@timestamp", "@ingestionTime"];
const DEFAULT_COLUMNS = ["@timestamp", "@message"];
const STREAMING = new Set<Stage["kind"]>(["filter", "fields", "parse"]);
const MINUTE_MS = 60_000;

/** Parses and compiles a query. @throws MalformedQueryError */
export function compileQuery(text: string): CompiledQuery {
  return compileParsedQuery(parseQuery(text));
}

/** Compiles an already parsed query. @throws MalformedQueryError */
export function compileParsedQuery(query: Query): CompiledQuery {
  const { text } = query;
  const fail = (problem: string, span: { start: number; end: number }): never => {
    throw new MalformedQueryError(problem, span, text);
  };
  const statsCommands = query.commands.filter((command) => command.kind === "stats");
  if (statsCommands.length > 1) fail("Only one stats command per query is supported by the simulator", statsCommands[1]!.span);

  const timeFields = new Set(DISCOVERED_TIME_FIELDS);
  /** Columns that exist after stats (sort/fields may name them, e.g. `sort count(*) desc`). */
  let statsColumns: Set<string> | undefined;
  let explicitColumns: string[] | undefined;
  let displayColumns: string[] | undefined;
  const stages: Stage[] = [];
  const context = (): CompileContext => ({ text, timeFields });

  const compileNamed = (items: readonly NamedExpr[]): NamedEvaluator[] =>
    items.map((item) => {
      const compiled = compileColumnAware(item.expr, item.name, context(), statsColumns);
      if (compiled.isTime) timeFields.add(item.name);
      else if (item.expr.kind !== "field" || item.name !== item.expr.name) timeFields.delete(item.name);
      return { name: item.name, evaluate: compiled.evaluate };
    });
  const addColumns = (names: readonly string[]) => {
    explicitColumns = [...new Set([...(explicitColumns ?? []), ...names])];
  };

  for (const command of query.commands) {
    switch (command.kind) {
      case "filter":
        stages.push({ kind: "filter", test: compileExpression(command.expr, context()).evaluate });
        break;
      case "fields": {
        const items = compileNamed(command.items);
        stages.push({ kind: "fields", items: items.filter((item, i) => !isPlainField(command.items[i]!)) });
        addColumns(items.map((item) => item.name));
        break;
      }
      case "display": {
        const items = compileNamed(command.items);
        const computed = items.filter((_item, i) => !isPlainField(command.items[i]!));
        if (computed.length > 0) stages.push({ kind: "fields", items: computed });
        displayColumns = items.map((item) => item.name);
        break;
      }
      case "parse": {
        const source = compileExpression(command.source, context()).evaluate;
        for (const name of command.pattern.names) timeFields.delete(name);
        stages.push({ kind: "parse", source, regex: command.pattern.regex, names: command.pattern.names });
        break;
      }
      case "stats": {
        const stage = compileStats(command, text, timeFields);
        stages.push(stage.stage);
        timeFields.clear();
        for (const name of stage.timeColumns) timeFields.add(name);
        statsColumns = new Set(stage.columns);
        explicitColumns = stage.columns;
        displayColumns = undefined;
        break;
      }
      case "sort":
        stages.push({
          kind: "sort",
          keys: command.keys.map((key) => ({
            name: key.name,
            descending: key.descending,
            evaluate: compileColumnAware(key.expr, key.name, context(), statsColumns).evaluate,
          })),
        });
        break;
      case "limit":
        stages.push({ kind: "limit", count: command.count });
        break;
      case "dedup":
        stages.push({ kind: "dedup", names: command.fields.map((field) => field.name) });
        break;
    }
  }

  const columns = displayColumns ?? explicitColumns ?? DEFAULT_COLUMNS;
  const hasStats = statsCommands.length > 0;
  const firstOrdered = stages.find((stage) => !STREAMING.has(stage.kind));
  let sourceOrder: "desc" | "asc" = "desc";
  const firstOrderedIndex = firstOrdered === undefined ? -1 : stages.indexOf(firstOrdered);
  const sortCommand = firstOrdered?.kind === "sort" ? query.commands.filter((c) => c.kind === "sort")[0] : undefined;
  if (firstOrdered?.kind === "sort" && sortCommand?.kind === "sort" && isTimestampSort(sortCommand)) {
    // The source already delivers records by @timestamp: the sort is a no-op, which lets a
    // following limit stop the scan early.
    sourceOrder = sortCommand.keys[0]!.descending ? "desc" : "asc";
    stages.splice(firstOrderedIndex, 1);
  }
  return {
    text,
    stages,
    hasStats,
    columns,
    timeColumns: new Set(columns.filter((column) => timeFields.has(column))),
    hasLimit: query.commands.some((command) => command.kind === "limit"),
    sourceOrder,
    weightedAllowed: hasStats && weightedAllowed(query.commands),
  };
}

function isPlainField(item: NamedExpr): boolean {
  return item.expr.kind === "field" && item.expr.name === item.name;
}

function isTimestampSort(command: Extract<Command, { kind: "sort" }>): boolean {
  const [key, ...rest] = command.keys;
  return rest.length === 0 && key?.expr.kind === "field" && key.expr.name === "@timestamp";
}

/**
 * After stats, a name such as `count(*)` is a column, not an expression to evaluate: read it
 * as a field when it is one.
 */
function compileColumnAware(expr: Expr, name: string, context: CompileContext, statsColumns: ReadonlySet<string> | undefined): CompiledExpr {
  if (statsColumns?.has(name) && expr.kind !== "field") {
    return { evaluate: (record) => readField(record, name), isTime: context.timeFields.has(name) };
  }
  return compileExpression(expr, context);
}

function compileStats(
  command: Extract<Command, { kind: "stats" }>,
  text: string,
  timeFields: ReadonlySet<string>,
): { stage: Stage; columns: string[]; timeColumns: string[] } {
  const fail = (problem: string, span: { start: number; end: number }): never => {
    throw new MalformedQueryError(problem, span, text);
  };
  const plain: CompileContext = { text, timeFields };
  const slots: AggregateSlot[] = [];
  const timeColumns: string[] = [];

  const aggregate = (call: Extract<Expr, { kind: "call" }>): CompiledExpr => {
    const { name, args } = call;
    const arity = (count: number) => {
      if (args.length !== count) fail(`${name}() takes ${count} argument(s), not ${args.length}`, call.span);
    };
    const argument = (index: number): CompiledExpr => {
      const arg = args[index]!;
      if (arg.kind === "star") fail(`* can only be an argument of count()`, arg.span);
      if (containsAggregate(arg)) fail(`Aggregate functions cannot be nested`, arg.span);
      return compileExpression(arg, plain);
    };
    let slot: AggregateSlot;
    let isTime = false;
    if (name === "count") {
      if (args.length > 1) fail(`count() takes at most 1 argument, not ${args.length}`, call.span);
      const star = args.length === 0 || args[0]!.kind === "star";
      slot = { spec: { kind: "count", star }, argument: star ? undefined : argument(0).evaluate };
    } else if (name === "pct" || name === "percentile") {
      arity(2);
      const p = args[1]!;
      const percentile = p.kind === "number" ? p.value : Number.NaN;
      if (!(percentile >= 0 && percentile <= 100)) fail(`${name}() needs a percentile from 0 to 100 as its second argument`, p.span);
      const compiled = argument(0);
      isTime = compiled.isTime;
      slot = { spec: { kind: "pct", percentile }, argument: compiled.evaluate };
    } else {
      arity(1);
      const compiled = argument(0);
      isTime = (name === "min" || name === "max") && compiled.isTime;
      slot = { spec: { kind: name as "sum" }, argument: compiled.evaluate };
    }
    const key = `\u0000${slots.length}`;
    slots.push(slot);
    return { evaluate: (record) => readField(record, key), isTime };
  };

  const by = command.by.map((item) => {
    if (containsAggregate(item.expr)) fail(`Aggregate functions cannot be used after "by"`, item.span);
    const compiled = compileExpression(item.expr, plain);
    if (compiled.isTime) timeColumns.push(item.name);
    return { name: item.name, evaluate: compiled.evaluate, isTime: compiled.isTime };
  });
  const items = command.items.map((item) => {
    if (!containsAggregate(item.expr)) fail(`A stats item needs an aggregate function such as count(*), avg() or pct()`, item.span);
    const compiled = compileExpression(item.expr, { text, timeFields, aggregate, statsItem: true });
    if (compiled.isTime) timeColumns.push(item.name);
    return { name: item.name, evaluate: compiled.evaluate };
  });
  const columns = [...new Set([...by.map((b) => b.name), ...items.map((i) => i.name)])];
  return { stage: { kind: "stats", slots, items, by }, columns, timeColumns };
}

function containsAggregate(expr: Expr): boolean {
  switch (expr.kind) {
    case "call":
      return AGGREGATE_FUNCTIONS.has(expr.name) || expr.args.some(containsAggregate);
    case "unary":
      return containsAggregate(expr.operand);
    case "binary":
      return containsAggregate(expr.left) || containsAggregate(expr.right);
    case "like":
      return containsAggregate(expr.operand);
    case "in":
      return containsAggregate(expr.operand) || expr.list.some(containsAggregate);
    default:
      return false;
  }
}

/** See `CompiledQuery.weightedAllowed`. */
function weightedAllowed(commands: readonly Command[]): boolean {
  // Names whose values are unique per line (weighted records carry only the minute of
  // @timestamp), and names whose values vary per line.
  const perLine = new Set([...PER_LINE_FIELDS, "@timestamp"]);
  const varying = new Set([...PER_LINE_FIELDS, ...CONTINUOUS_FIELDS]);
  for (const command of commands) {
    switch (command.kind) {
      case "filter":
        if (references(command.expr).some((name) => perLine.has(name))) return false;
        break;
      case "fields":
      case "display":
        for (const item of command.items) {
          const names = references(item.expr);
          if (names.some((name) => perLine.has(name))) return false;
          if (names.some((name) => varying.has(name))) varying.add(item.name);
          else varying.delete(item.name);
        }
        break;
      case "parse": {
        const { names, regex } = command.pattern;
        if (command.source.kind === "field" && command.source.name === "@logStream") {
          // The date and [version] of a stream name are the same for every line of a
          // function-minute; weighted records carry them. Only the environment id is per line.
          const analysis = analyseLogStreamParse(regex, names);
          if (!analysis.environmentFree) return false;
          // A field set on every stream is exact now; one some streams leave alone keeps its state.
          for (const name of names) if (analysis.alwaysSet.has(name)) varying.delete(name);
          break;
        }
        if (references(command.source).some((name) => perLine.has(name))) return false;
        for (const name of names) varying.add(name);
        break;
      }
      case "stats": {
        const used = command.items.flatMap((item) => references(item.expr));
        if (used.some((name) => perLine.has(name))) return false;
        if (command.items.some((item) => usesCountDistinct(item.expr))) return false;
        if (command.by.some((item) => references(item.expr).some((name) => varying.has(name)))) return false;
        return true;
      }
      default:
        // sort, limit or dedup before stats depend on individual lines.
        return false;
    }
  }
  return false;
}

/**
 * Field names an expression reads. bin()/datefloor()/dateceil() by whole minutes read
 * @timestamp only at minute resolution, which weighted records keep, so they do not count.
 */
function references(expr: Expr): string[] {
  switch (expr.kind) {
    case "field":
      return [expr.name];
    case "unary":
      return references(expr.operand);
    case "binary":
      return [...references(expr.left), ...references(expr.right)];
    case "like":
      return references(expr.operand);
    case "in":
      return [...references(expr.operand), ...expr.list.flatMap(references)];
    case "call": {
      if (expr.name === "bin") {
        const span = expr.args[0];
        return span?.kind === "duration" && span.ms % MINUTE_MS === 0 ? [] : ["@timestamp"];
      }
      if (expr.name === "datefloor" || expr.name === "dateceil") {
        const span = expr.args[1];
        const rest = expr.args[0] === undefined ? [] : references(expr.args[0]);
        const minuteAligned = span?.kind === "duration" && span.ms % MINUTE_MS === 0;
        return minuteAligned ? rest.filter((name) => name !== "@timestamp") : rest;
      }
      return expr.args.flatMap(references);
    }
    default:
      return [];
  }
}

function usesCountDistinct(expr: Expr): boolean {
  if (expr.kind === "call") return expr.name === "count_distinct" || expr.args.some(usesCountDistinct);
  if (expr.kind === "binary") return usesCountDistinct(expr.left) || usesCountDistinct(expr.right);
  if (expr.kind === "unary") return usesCountDistinct(expr.operand);
  return false;
}
