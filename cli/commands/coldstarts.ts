import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { columns } from "@/cli/text-columns";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import {
  MISSING,
  formatCompactNumber,
  formatDateTimeUtc,
  formatDurationMs,
  formatInteger,
  formatMemoryMb,
  formatPercent,
  formatRangeLabel,
  formatUsd,
  formatWindowUtc,
} from "@/app/(console)/_format/format";
import {
  BILLING_RULE_WORDS,
  VERDICT_WORDS,
  describeAccounting,
  describeFinding,
  formatGbSeconds,
  formatUsdPerGbSecond,
} from "@/app/(console)/cold-starts/cold-start-words";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import type { Percentiles } from "@/lib/domain/cold-start/report-stats";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { lookupFunction } from "@/lib/queries/function-lookup";
import { getColdStartsView, getFunctionColdStarts, type ColdStartsView, type ColdStartsViewDeps, type FunctionColdStartsView } from "@/lib/queries/cold-starts-view";
import { RANGE_PRESETS, resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";
import { describeError } from "@/lib/use-cases/describe-error";

const spec = {
  name: "coldstarts",
  summary: "cold starts: the fleet ranked by impact, or one function in depth",
  usage: "sightline coldstarts [--function <name> [--account <id>] [--region <r>]] [--range 24h] [--json]",
  options: {
    function: { type: "string" },
    account: { type: "string" },
    region: { type: "string" },
    range: { type: "string" },
    json: { type: "boolean" },
  },
  optionHelp: [
    "--function <name> one function in depth (without it: the fleet ranking)",
    "--account <id>    the function's account, when its name exists in several",
    "--region <r>      the function's region, when its name exists in several",
    `--range <r>       one of ${Object.keys(RANGE_PRESETS).join(", ")} (default 24h)`,
    "--json            print the view model as JSON (what /api/v1/cold-starts returns)",
  ],
} satisfies CommandSpec;

export interface ColdstartsArgs {
  help: boolean;
  json: boolean;
  range: ResolvedTimeRange;
  /** null: the fleet ranking. */
  target: { functionName: string; accountId?: string; region?: string } | null;
}

/** Parses the command's flags against `nowMs`; every mistake is a UsageError naming the flag. */
export function parseColdstartsArgs(argv: string[], nowMs: number): ColdstartsArgs {
  const { values, positionals } = parseCommandArgs(spec, argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; the function goes after --function`);
  const range = resolveTimeRange({ range: values.range }, nowMs);
  if (!range.ok) throw new UsageError(`--range must be one of ${Object.keys(RANGE_PRESETS).join(", ")}, got "${values.range}"`);
  const base = { help: values.help === true, json: values.json === true, range: range.value };
  if (values.function === undefined) {
    if (values.account !== undefined || values.region !== undefined) throw new UsageError("--account and --region need --function");
    return { ...base, target: null };
  }
  if (!FunctionNameSchema.safeParse(values.function).success) throw new UsageError(`--function must be a Lambda function name, got "${values.function}"`);
  if (values.account !== undefined && !AccountIdSchema.safeParse(values.account).success) throw new UsageError(`--account must be 12 digits, got "${values.account}"`);
  if (values.region !== undefined && !RegionSchema.safeParse(values.region).success) throw new UsageError(`--region must be a region code like us-east-1, got "${values.region}"`);
  const target: NonNullable<ColdstartsArgs["target"]> = { functionName: values.function };
  if (values.account !== undefined) target.accountId = values.account;
  if (values.region !== undefined) target.region = values.region;
  return { ...base, target };
}


function windowJson(range: ResolvedTimeRange) {
  return { fromMs: range.window.fromMs, toMs: range.window.toMs, from: new Date(range.window.fromMs).toISOString(), to: new Date(range.window.toMs).toISOString(), range: range.label };
}

/** The fleet ranking as a table, most impact first. */
export function formatColdStartRanking(view: ColdStartsView, range: ResolvedTimeRange): string {
  const through = view.reportsCollectedThroughMs === null ? "no REPORT lines collected yet" : `REPORT lines through ${formatDateTimeUtc(view.reportsCollectedThroughMs)}`;
  const header = ["#", "function", "account/region", "runtime", "invocations", "cold", "ratio", "init p50", "init p99", "waited/day", "INIT $/day", ""];
  const rows = view.rows.map((r) => [
    String(r.rank),
    r.functionName,
    `${r.accountId}/${r.region}`,
    r.runtime ?? "image",
    formatCompactNumber(r.invocations),
    formatInteger(r.coldStarts),
    formatPercent(r.coldStartRatio),
    formatDurationMs(r.coldStartP50Ms),
    formatDurationMs(r.coldStartP99Ms),
    r.coldStarts === 0 ? MISSING : formatDurationMs(r.coldStartWaitMsPerDay),
    r.initAccounting === "none" ? MISSING : formatUsd(r.initCostUsdPerDay),
    r.heavy ? "heavy" : "",
  ]);
  return [
    `Cold starts, ${formatRangeLabel(range.label, range.window).toLowerCase()} (${through})`,
    "",
    ...columns([header, ...rows], new Set([0, 4, 5, 6, 7, 8, 9, 10])),
    "",
    "Ranked heavy first (≥ 5 cold starts and ≥ 5 %), then by cold-start time callers waited per day.",
  ].join("\n");
}

function percentilesText(p: Percentiles | null): string {
  if (p === null) return MISSING;
  return `p50 ${formatDurationMs(p.p50)}  p90 ${formatDurationMs(p.p90)}  p99 ${formatDurationMs(p.p99)}  max ${formatDurationMs(p.max)}`;
}

/** One function's cold starts: figures, INIT cost, p99 share, then by hour, version and memory size. */
export function formatFunctionColdStarts(view: FunctionColdStartsView, range: ResolvedTimeRange): string {
  const { function: fn, summary, initCost, p99Impact } = view;
  const facts: [string, string][] = [
    ["Invocations", formatInteger(summary.invocations)],
    ["Cold starts", `${formatInteger(summary.coldStarts)} (${formatPercent(summary.coldStartRatio)})${summary.heavy ? "  cold-start heavy" : ""}`],
    ["Waited per day", formatDurationMs(summary.coldStartWaitMsPerDay)],
    ["Init duration", percentilesText(summary.initDurationMs)],
  ];
  if (summary.restoreDurationMs !== null || fn.snapStart) facts.push(["Restore duration", percentilesText(summary.restoreDurationMs)]);
  facts.push(
    ["INIT cost", `${formatUsd(initCost.initCostUsdPerDay)}/day (${formatGbSeconds(initCost.initGbSecondsPerDay)}/day), ${formatPercent(initCost.initShareOfDurationCostRatio)} of the duration bill (${formatUsd(initCost.durationCostUsdPerDay)}/day)`],
    ["Billing", `${describeAccounting("INIT", initCost.initAccounting)} ${describeFinding("Init Duration", initCost.initFinding)}`],
  );
  if (initCost.restoreAccounting !== "none") facts.push(["", `${describeAccounting("SnapStart restore", initCost.restoreAccounting)} ${describeFinding("Billed Restore Duration", initCost.restoreFinding)}`]);
  facts.push(
    ["", BILLING_RULE_WORDS[initCost.rule]],
    ["Price", `${formatUsdPerGbSecond(initCost.price.usdPerGbSecond)}, on-demand first tier, ${initCost.price.architecture}, ${initCost.price.pricedRegion}${initCost.price.assumed ? " (assumed)" : ""}`],
    [
      "p99 share",
      p99Impact.kind === "estimated"
        ? `callers see ${formatDurationMs(p99Impact.callerP99Ms)}, ${formatDurationMs(p99Impact.warmP99Ms)} were every call warm: cold starts cause ${formatPercent(p99Impact.coldStartShareOfP99Ratio)}. ${VERDICT_WORDS[p99Impact.verdict]}`
        : `cannot say yet: ${p99Impact.reason}`,
    ],
  );
  const labelWidth = Math.max(...facts.map(([label]) => label.length));
  const breakdown = (title: string, label: string, rows: { name: string; invocations: number; coldStarts: number; coldStartRatio: number | null; coldStartDurationMs: Percentiles | null }[]) =>
    rows.length === 0
      ? []
      : [
          "",
          title,
          ...columns(
            [
              [label, "invocations", "cold", "ratio", "init p50", "init p99"],
              ...rows.map((r) => [r.name, formatInteger(r.invocations), formatInteger(r.coldStarts), formatPercent(r.coldStartRatio), formatDurationMs(r.coldStartDurationMs?.p50 ?? null), formatDurationMs(r.coldStartDurationMs?.p99 ?? null)]),
            ],
            new Set([1, 2, 3, 4, 5]),
          ),
        ];
  return [
    `${fn.functionName} (${fn.accountId}/${fn.region}) — ${fn.runtime ?? "container image"} · ${fn.architecture} · ${formatMemoryMb(fn.memoryMb)} · ${fn.packageType}${fn.snapStart ? " · SnapStart" : ""}${fn.provisionedConcurrency > 0 ? ` · ${fn.provisionedConcurrency} provisioned` : ""}`,
    `${formatRangeLabel(range.label, range.window)}, ${view.coverage === null ? "no REPORT lines collected yet" : `REPORT lines of ${formatWindowUtc(view.coverage)}`}`,
    "",
    ...facts.map(([label, text]) => `${label.padEnd(labelWidth)}  ${text}`),
    ...breakdown("By hour (hours with invocations)", "hour (UTC)", summary.byHour.filter((h) => h.invocations > 0).map((h) => ({ ...h, name: formatDateTimeUtc(h.hourStartMs).replace(/ UTC$/, "") }))),
    ...breakdown("By version", "version", summary.byVersion.map((v) => ({ ...v, name: v.version ?? "(not split)" }))),
    ...breakdown("By memory size", "memory", summary.byMemorySize.map((m) => ({ ...m, name: formatMemoryMb(m.memorySizeMb) }))),
  ].join("\n");
}

const NOTHING_COLLECTED = "nothing has been collected yet: start the local stack (`npx sightline start`) or run `npx sightline collect --once`, then try again";

/** The stores of the local stack's table. */
function localDeps(): { deps: ColdStartsViewDeps; dynamoEndpoint: string | undefined } {
  const { doc, tableName, dynamoEndpoint } = openLocalTable();
  return {
    dynamoEndpoint,
    deps: {
      functions: new DynamoFunctionStore(doc, tableName),
      series: new DynamoMetricSeriesStore(doc, tableName),
      reportStats: new DynamoReportStatsStore(doc, tableName),
      watermarks: new DynamoWatermarkStore(doc, tableName),
    },
  };
}

async function showColdStarts(deps: ColdStartsViewDeps, args: ColdstartsArgs, nowMs: number): Promise<string> {
  const { range, target } = args;
  if (target === null) {
    const view = await getColdStartsView(deps, { window: range.window, nowMs });
    if (view.rows.length === 0) throw new UserFacingError(NOTHING_COLLECTED);
    return args.json ? JSON.stringify({ ...view, window: windowJson(range) }) : formatColdStartRanking(view, range);
  }
  const lookup = await lookupFunction(deps.functions, target);
  if (lookup.kind === "not-found") {
    if (lookup.known === 0) throw new UserFacingError(NOTHING_COLLECTED);
    const where = [target.accountId && `account ${target.accountId}`, target.region && `region ${target.region}`].filter(Boolean).join(", ");
    throw new UserFacingError(`no function named "${target.functionName}"${where ? ` in ${where}` : ""} has been collected; \`sightline coldstarts\` lists them all`);
  }
  if (lookup.kind === "ambiguous") {
    throw new UsageError(`"${target.functionName}" exists in ${lookup.choices.map((c) => `${c.accountId}/${c.region}`).join(", ")}; add --account and --region`);
  }
  const view = await getFunctionColdStarts(deps, { ref: lookup.ref, window: range.window, nowMs });
  if (view === null) throw new UserFacingError(`function "${target.functionName}" disappeared from the inventory; try again`);
  return args.json ? JSON.stringify({ ...view, window: windowJson(range) }) : formatFunctionColdStarts(view, range);
}

export const coldstartsCommand: Command = {
  spec,
  async run(argv) {
    const nowMs = Date.now();
    const args = parseColdstartsArgs(argv, nowMs);
    if (args.help) return (console.log(formatHelp(spec)), 0);
    const { deps, dynamoEndpoint } = localDeps();
    try {
      console.log(await showColdStarts(deps, args, nowMs));
      return 0;
    } catch (error) {
      if (/ResourceNotFoundException/.test(describeError(error))) throw new UserFacingError(NOTHING_COLLECTED);
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
