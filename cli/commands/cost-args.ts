import { parseCommandArgs, UsageError, type CommandSpec } from "@/cli/args";
import { COST_EXPORT_FORMATS, type CostExportFormat } from "@/lib/domain/cost/cost-export";
import { DEFAULT_ALERT_AT_RATIOS, parseAlertAt, parseMonthlyUsd } from "@/lib/domain/cost/budget-input";
import { formatGroupBy, parseBucketId } from "@/lib/domain/cost/cost-types";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";
import { COST_RANGE_PRESETS, parseCostParams, parseGroupBy, type ParsedCostParams } from "@/lib/queries/cost-params";

/**
 * `sightline cost …` flags, parsed without I/O so every mistake is a UsageError (exit 2) that
 * names the flag. The range and grouping flags go through parseCostParams, the parser the
 * page and the API use, so `--range 14d` here is `?range=14d` there.
 */

export const costSpec = {
  name: "cost",
  summary: "cost allocation: report by team or service, CSV/FOCUS export, budgets",
  usage: [
    "sightline cost report [--group-by tag:team|service] [--range 14d | --from YYYY-MM-DD --to YYYY-MM-DD] [--bucket value:payments] [--json]",
    "       sightline cost export [--format csv|focus] [--out FILE] [--group-by …] [--range … | --from … --to …] [--bucket …]",
    "       sightline cost budget set --group-by tag:team --bucket value:payments --monthly-usd 1200 [--alert-at 0.8,1]",
    "       sightline cost budget list [--json]",
    "       sightline cost budget remove --group-by tag:team --bucket value:payments",
  ].join("\n"),
  options: {
    "group-by": { type: "string" },
    range: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    bucket: { type: "string" },
    json: { type: "boolean" },
    format: { type: "string" },
    out: { type: "string" },
    "monthly-usd": { type: "string" },
    "alert-at": { type: "string" },
  },
  optionHelp: [
    "report              totals (bill, unallocated, idle, shared), buckets with share, forecast and budget, anomalies, reconciliation",
    "export              every allocated row as CSV (or FOCUS with --format focus), to stdout or --out",
    "budget set|list|remove   monthly budgets per bucket (stored with the cost settings)",
    "--group-by <g>      tag:<key> (a COST_ALLOCATION_TAG_KEYS key) or service (default: the first tag key)",
    `--range <r>         ${COST_RANGE_PRESETS.join(", ")} (default 14d: the last 14 days including today)`,
    "--from / --to       whole UTC days YYYY-MM-DD, --to exclusive (instead of --range)",
    "--bucket <id>       value:<name>, unallocated or idle: report drills into it, export keeps only it, budget names it",
    "--json              report / budget list: print JSON",
    "--format <f>        export: csv (default) or focus",
    "--out <file>        export: write to a file instead of stdout",
    "--monthly-usd <usd> budget set: the monthly limit in USD, e.g. 1200 or 1200.50",
    `--alert-at <r,…>    budget set: alert when actual or forecast cost reaches these shares of the limit (default 0.8,1; "80%" works too)`,
  ],
} satisfies CommandSpec;

export type CostArgs =
  | { help: true }
  | { help: false; action: "report"; params: ParsedCostParams; json: boolean }
  | { help: false; action: "export"; params: ParsedCostParams; format: CostExportFormat; out: string | null }
  | { help: false; action: "budget-set"; groupBy: string; bucket: string; monthlyMicroUsd: MicroUsd; alertAtRatios: number[] }
  | { help: false; action: "budget-list"; json: boolean }
  | { help: false; action: "budget-remove"; groupBy: string; bucket: string };

type Values = ReturnType<typeof parseCommandArgs<typeof costSpec.options>>["values"];
type FlagName = keyof typeof costSpec.options;

/** parseCostParams's field → the flag a person typed. */
const FLAG_OF_PARAM: Record<string, string> = { groupBy: "--group-by", range: "--range", from: "--from", to: "--to", bucket: "--bucket" };


/** Refuses flags that belong to another action, naming the first one given. */
function onlyFlags(values: Values, allowed: readonly FlagName[], action: string): void {
  for (const flag of Object.keys(costSpec.options) as FlagName[]) {
    if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`--${flag} does not apply to \`cost ${action}\` (sightline cost --help)`);
  }
}

function noMorePositionals(rest: readonly string[], after: string): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" after ${after}`);
}

/** The range, grouping and bucket flags through the shared URL-parameter parser. */
function costParams(values: Values, nowMs: number, tagKeys: readonly string[]): ParsedCostParams {
  const parsed = parseCostParams(
    { groupBy: values["group-by"], range: values.range, from: values.from, to: values.to, bucket: values.bucket },
    nowMs,
    tagKeys,
  );
  if (parsed.ok) return parsed.value;
  // "groupBy must be one of …" → "--group-by must be one of …"; other messages get the flag in front.
  const leading = /^(groupBy|range|from|to|bucket) must\b/.exec(parsed.error);
  const flag = FLAG_OF_PARAM[parsed.field] ?? parsed.field;
  throw new UsageError(leading ? `${FLAG_OF_PARAM[leading[1]!]}${parsed.error.slice(leading[1]!.length)}` : `${flag}: ${parsed.error}`);
}

/** --group-by of a budget: required, a grouping of this installation; returned in its URL form. */
function budgetGroupBy(value: string | undefined, tagKeys: readonly string[], action: string): string {
  if (value === undefined || value === "") throw new UsageError(`--group-by is required for \`cost ${action}\`: tag:<key> or service`);
  const groupBy = parseGroupBy(value, tagKeys);
  if (groupBy === null) throw new UsageError(`--group-by must be one of ${[...tagKeys.map((k) => `tag:${k}`), "service"].join(", ")}, got "${value.slice(0, 80)}"`);
  return formatGroupBy(groupBy);
}

/** --bucket of a budget: required, a bucket id. */
function budgetBucket(value: string | undefined, action: string): string {
  if (value === undefined || value === "") throw new UsageError(`--bucket is required for \`cost ${action}\`: value:<name>, unallocated or idle`);
  if (parseBucketId(value) === null) throw new UsageError(`--bucket must be value:<name>, unallocated or idle, got "${value.slice(0, 80)}"`);
  return value;
}

/** "--flag must be …", or "--flag: <reason>" when the reason is not a "must". */
function flagMessage(flag: string, reason: string): string {
  return reason.startsWith("must") ? `${flag} ${reason}` : `${flag}: ${reason}`;
}

/** --monthly-usd: a positive decimal USD amount, read exactly into micro-USD. */
export function parseMonthlyUsdFlag(value: string | undefined): MicroUsd {
  if (value === undefined || value === "") throw new UsageError("--monthly-usd is required for `cost budget set`: the monthly limit in USD, e.g. 1200");
  const parsed = parseMonthlyUsd(value);
  if (parsed.kind === "invalid") throw new UsageError(flagMessage("--monthly-usd", parsed.reason));
  return parsed.value;
}

/** --alert-at: comma-separated shares of the limit ("0.8,1") or percentages ("80%,100%"); ascending, each once. */
export function parseAlertAtFlag(value: string | undefined): number[] {
  if (value === undefined) return [...DEFAULT_ALERT_AT_RATIOS];
  const parsed = parseAlertAt(value);
  if (parsed.kind === "invalid") throw new UsageError(flagMessage("--alert-at", parsed.reason));
  return parsed.value;
}

/** Parses `cost <action>` and its flags against the configured tag keys and `nowMs`. */
export function parseCostArgs(argv: string[], nowMs: number, tagKeys: readonly string[]): CostArgs {
  const { values, positionals } = parseCommandArgs(costSpec, argv);
  if (values.help === true) return { help: true };
  const [action, ...rest] = positionals;
  if (action === "report") {
    noMorePositionals(rest, "report");
    onlyFlags(values, ["group-by", "range", "from", "to", "bucket", "json"], "report");
    return { help: false, action, params: costParams(values, nowMs, tagKeys), json: values.json === true };
  }
  if (action === "export") {
    noMorePositionals(rest, "export");
    onlyFlags(values, ["group-by", "range", "from", "to", "bucket", "format", "out"], "export");
    const format = values.format ?? "csv";
    if (!(COST_EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be csv or focus, got "${format.slice(0, 40)}"`);
    if (values.out === "") throw new UsageError("--out needs a file name (leave it out to write to stdout)");
    return { help: false, action, params: costParams(values, nowMs, tagKeys), format: format as CostExportFormat, out: values.out ?? null };
  }
  if (action === "budget") {
    const [sub, ...more] = rest;
    if (sub === "set") {
      noMorePositionals(more, "budget set");
      onlyFlags(values, ["group-by", "bucket", "monthly-usd", "alert-at"], "budget set");
      return {
        help: false,
        action: "budget-set",
        groupBy: budgetGroupBy(values["group-by"], tagKeys, "budget set"),
        bucket: budgetBucket(values.bucket, "budget set"),
        monthlyMicroUsd: parseMonthlyUsdFlag(values["monthly-usd"]),
        alertAtRatios: parseAlertAtFlag(values["alert-at"]),
      };
    }
    if (sub === "list") {
      noMorePositionals(more, "budget list");
      onlyFlags(values, ["json"], "budget list");
      return { help: false, action: "budget-list", json: values.json === true };
    }
    if (sub === "remove") {
      noMorePositionals(more, "budget remove");
      onlyFlags(values, ["group-by", "bucket"], "budget remove");
      return { help: false, action: "budget-remove", groupBy: budgetGroupBy(values["group-by"], tagKeys, "budget remove"), bucket: budgetBucket(values.bucket, "budget remove") };
    }
    throw new UsageError(`unknown cost budget subcommand "${sub ?? ""}"; use set, list or remove (sightline cost --help)`);
  }
  throw new UsageError(`unknown cost subcommand "${action ?? ""}"; use report, export or budget (sightline cost --help)`);
}
