import { z } from "zod";
import { validationError } from "./cost-errors";
import { DIMENSION_KEYS, type DimensionKey } from "./dimensions";

/**
 * Cost Explorer filter expressions: the wire shape (zod), its validation as AWS does it, and
 * its evaluation against one billing line. Valid MatchOptions follow the API reference:
 * Dimensions take EQUALS and CASE_SENSITIVE; Tags and CostCategories also ABSENT. Matching is
 * case-sensitive, as those options ask.
 * A missing tag has the value "" (how Cost Explorer shows untagged usage: `team$`).
 */

interface WireValues {
  Key?: string | undefined;
  Values?: string[] | undefined;
  MatchOptions?: string[] | undefined;
}

/** `Expression` as the SDK serialises it. */
export interface WireExpression {
  Or?: WireExpression[] | undefined;
  And?: WireExpression[] | undefined;
  Not?: WireExpression | undefined;
  Dimensions?: WireValues | undefined;
  Tags?: WireValues | undefined;
  CostCategories?: WireValues | undefined;
}

const WireValuesSchema = z.object({
  Key: z.string().optional(),
  Values: z.array(z.string()).optional(),
  MatchOptions: z.array(z.string()).optional(),
});

export const ExpressionSchema: z.ZodType<WireExpression> = z.lazy(() =>
  z.object({
    Or: z.array(ExpressionSchema).optional(),
    And: z.array(ExpressionSchema).optional(),
    Not: ExpressionSchema.optional(),
    Dimensions: WireValuesSchema.optional(),
    Tags: WireValuesSchema.optional(),
    CostCategories: WireValuesSchema.optional(),
  }),
);

/** A validated filter. */
export type FilterExpression =
  | { kind: "and"; operands: readonly FilterExpression[] }
  | { kind: "or"; operands: readonly FilterExpression[] }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "dimension"; key: DimensionKey; values: readonly string[] }
  | { kind: "tag" | "cost-category"; key: string; values: readonly string[]; absent: boolean };

/** What a filter can ask of a billing line. */
export interface FilterSubject {
  dimension(key: DimensionKey): string;
  /** undefined = the line does not carry the tag. */
  tag(key: string): string | undefined;
}

export interface FilterOptions {
  /** RESOURCE_ID is only allowed by GetCostAndUsageWithResources. */
  allowResourceId: boolean;
}

const ROOTS = ["And", "Or", "Not", "Dimensions", "Tags", "CostCategories"] as const;
const DIMENSION_MATCH_OPTIONS = new Set(["EQUALS", "CASE_SENSITIVE"]);
const TAG_MATCH_OPTIONS = new Set(["EQUALS", "ABSENT", "CASE_SENSITIVE"]);
const KNOWN_DIMENSIONS: ReadonlySet<string> = new Set(DIMENSION_KEYS);

/**
 * Validates a wire expression the way Cost Explorer does and converts it.
 * @throws CostExplorerError (ValidationException) naming the first problem.
 */
export function toFilterExpression(wire: WireExpression, options: FilterOptions): FilterExpression {
  const roots = ROOTS.filter((root) => wire[root] !== undefined);
  if (roots.length !== 1) {
    throw validationError(
      "Expression has zero or more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories",
    );
  }
  if (wire.And !== undefined || wire.Or !== undefined) {
    const name = wire.And !== undefined ? "And" : "Or";
    const operands = wire.And ?? wire.Or ?? [];
    if (operands.length < 2) throw validationError(`${name} expression must have at least 2 operands`);
    return { kind: name === "And" ? "and" : "or", operands: operands.map((operand) => toFilterExpression(operand, options)) };
  }
  if (wire.Not !== undefined) return { kind: "not", operand: toFilterExpression(wire.Not, options) };
  if (wire.Dimensions !== undefined) {
    const { Key: key, Values: values = [], MatchOptions: matchOptions = ["EQUALS"] } = wire.Dimensions;
    if (key === undefined || !KNOWN_DIMENSIONS.has(key)) {
      throw validationError(`Dimension ${key ?? "(missing)"} is not allowed. Use one of ${DIMENSION_KEYS.join(", ")}.`);
    }
    if (key === "RESOURCE_ID" && !options.allowResourceId) {
      throw validationError("Dimension RESOURCE_ID is only available in GetCostAndUsageWithResources.");
    }
    checkMatchOptions(matchOptions, DIMENSION_MATCH_OPTIONS, "Dimensions");
    if (values.length === 0) throw validationError(`Values of dimension ${key} must not be empty.`);
    return { kind: "dimension", key: key as DimensionKey, values };
  }
  const kind = wire.Tags !== undefined ? "tag" : "cost-category";
  const { Key: key, Values: values = [], MatchOptions: matchOptions = ["EQUALS"] } = wire.Tags ?? wire.CostCategories ?? {};
  const what = kind === "tag" ? "Tags" : "CostCategories";
  if (key === undefined || key === "") throw validationError(`${what} must have a Key.`);
  checkMatchOptions(matchOptions, TAG_MATCH_OPTIONS, what);
  const absent = matchOptions.includes("ABSENT");
  if (!absent && values.length === 0) throw validationError(`Values of ${what} ${key} must not be empty unless MatchOptions is ABSENT.`);
  return { kind, key, values, absent };
}

function checkMatchOptions(matchOptions: readonly string[], allowed: ReadonlySet<string>, what: string): void {
  for (const option of matchOptions) {
    if (!allowed.has(option)) {
      throw validationError(`MatchOptions ${option} is not supported for ${what}. Valid values are ${[...allowed].join(", ")}.`);
    }
  }
}

/** Whether a billing line passes the filter. */
export function matchesFilter(filter: FilterExpression, subject: FilterSubject): boolean {
  switch (filter.kind) {
    case "and":
      return filter.operands.every((operand) => matchesFilter(operand, subject));
    case "or":
      return filter.operands.some((operand) => matchesFilter(operand, subject));
    case "not":
      return !matchesFilter(filter.operand, subject);
    case "dimension":
      return filter.values.includes(subject.dimension(filter.key));
    case "tag":
    case "cost-category": {
      // The simulated account defines no cost categories: every line is uncategorised.
      const value = filter.kind === "tag" ? subject.tag(filter.key) : undefined;
      if (filter.absent && value === undefined) return true;
      return filter.values.includes(value ?? "");
    }
  }
}
