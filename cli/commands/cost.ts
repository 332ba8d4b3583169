import { writeFile } from "node:fs/promises";
import { z } from "zod";
import { formatHelp, UsageError } from "@/cli/args";
import type { Command } from "@/cli/command";
import { costSpec, parseCostArgs, type CostArgs } from "@/cli/commands/cost-args";
import { withBudget, withoutBudget } from "@/lib/domain/cost/budget-input";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { columns } from "@/cli/text-columns";
import { formatDateTimeUtc, formatPercent, formatUsd } from "@/app/(console)/_format/format";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { CostSettingsVersionConflictError, DynamoCostSettingsStore } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { parseEnv } from "@/lib/config/config-error";
import { costAllocationTagKeys, optionalAccountId } from "@/lib/config/fields";
import { formatThresholdPercent } from "@/lib/domain/cost/budget-notification";
import { costExportFilename, formatMicroUsd, sumBilledMicroUsd, toCostExport } from "@/lib/domain/cost/cost-export";
import { parseCostSettings } from "@/lib/domain/cost/cost-settings";
import { bucketId, formatGroupBy, type CostBudget, type CostSettings, type CostView } from "@/lib/domain/cost/cost-types";
import { microUsdToUsd, type MicroUsd } from "@/lib/domain/cost/micro-usd";
import { DAY_MS } from "@/lib/domain/shared/time";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { describeError } from "@/lib/use-cases/describe-error";
import { formatCostDate } from "@/lib/queries/cost-params";
import { getCostExportRows, getCostView, type CostViewDeps } from "@/lib/queries/cost-view";

/** What the cost command reads from the environment besides the table: the same keys the costs collector groups by. */
const CostCliConfigSchema = z.object({ COST_ALLOCATION_TAG_KEYS: costAllocationTagKeys, SIGHTLINE_ACCOUNT_ID: optionalAccountId });

/** Money for people (display only; exports and JSON carry exact micro-USD). */
function usd(microUsd: MicroUsd): string {
  return formatUsd(microUsdToUsd(microUsd));
}

const MISSING = "—";

/** `2026-11-01 … 2026-11-14` (the last day included), and how many days. */
function describeWindow(window: { fromMs: number; toMs: number }): string {
  const days = Math.round((window.toMs - window.fromMs) / DAY_MS);
  return `${formatCostDate(window.fromMs)} … ${formatCostDate(window.toMs - DAY_MS)} (${days} day${days === 1 ? "" : "s"})`;
}

/** What a series id names, in the view's words: a bucket's label, or the function. */
function seriesLabel(view: CostView, seriesId: string): string {
  if (seriesId === "total") return "total";
  const bucket = view.buckets.find((b) => b.id === seriesId);
  if (bucket) return bucket.label;
  return seriesId.startsWith("function:") ? `function ${seriesId.slice("function:".length)}` : seriesId;
}

/**
 * The report a person reads: header and totals, the buckets table (cost, share, month-end
 * forecast, budget), anomalies, the reconciliation of the Lambda usage model against the
 * bill, and with --bucket the drill-down per service and per function.
 */
export function formatCostReport(view: CostView): string {
  const { totals } = view;
  const share = (microUsd: MicroUsd) => (totals.billMicroUsd === 0 ? MISSING : formatPercent(microUsd / totals.billMicroUsd));
  const lines = [
    `Costs ${describeWindow(view.window)}, grouped by ${view.groupBy}, account ${view.accountId}`,
    "",
    ...columns(
      [
        ["Bill", usd(totals.billMicroUsd), ""],
        ["Unallocated", usd(totals.unallocatedMicroUsd), share(totals.unallocatedMicroUsd)],
        ["Idle provisioned concurrency", usd(totals.idleMicroUsd), share(totals.idleMicroUsd)],
        ["Shared (split by pools)", usd(totals.sharedMicroUsd), share(totals.sharedMicroUsd)],
      ],
      new Set([1, 2]),
    ),
  ];
  if (totals.allocatedMicroUsd !== totals.billMicroUsd) lines.push(`  ! allocated ${usd(totals.allocatedMicroUsd)} differs from the bill by ${usd(totals.allocatedMicroUsd - totals.billMicroUsd)}`);
  const freshness: string[] = [];
  if (view.freshness.collectedAtMs !== null) freshness.push(`collected ${formatDateTimeUtc(view.freshness.collectedAtMs)}`);
  if (view.freshness.estimatedFromDayMs !== null) freshness.push(`estimated by AWS from ${formatCostDate(view.freshness.estimatedFromDayMs)}`);
  if (freshness.length > 0) lines.push(`  (${freshness.join("; ")})`);

  lines.push(
    "",
    ...columns(
      [
        ["bucket", "cost", "share", "forecast (month)", "budget", "anomalies"],
        ...view.buckets.map((b) => [
          b.label,
          usd(b.totalMicroUsd),
          formatPercent(b.shareRatio),
          b.forecast === null ? MISSING : usd(b.forecast.forecastMicroUsd.expected),
          b.budget === null ? MISSING : `${usd(b.budget.budget.monthlyMicroUsd)} (${formatPercent(b.budget.actualRatio)} spent, ${formatPercent(b.budget.forecastRatio)} forecast)`,
          b.anomalyCount === 0 ? "" : String(b.anomalyCount),
        ]),
      ],
      new Set([1, 2, 3]),
    ),
  );
  if (view.forecast !== null) {
    const f = view.forecast.forecastMicroUsd;
    lines.push("", `Month-end forecast (total): ${usd(f.expected)} (${usd(f.lower)} … ${usd(f.upper)}), ${view.forecast.method}`);
  }

  lines.push("", view.anomalies.length === 0 ? "Anomalies: none" : "Anomalies:");
  for (const a of view.anomalies) {
    const amount = (v: number) => (a.metric === "cost" ? usd(Math.round(v)) : `${formatUsd(v)}/invocation`);
    const ratio = a.ratio === null ? "" : ` (${a.ratio.toFixed(1)}×)`;
    const cause = a.likelyCause === null ? "" : `; likely ${a.likelyCause.kind} ${a.likelyCause.name} (${formatPercent(a.likelyCause.deltaShare)} of the change)`;
    lines.push(`  ${formatCostDate(a.dayMs)}  ${seriesLabel(view, a.seriesId)}: ${a.metric} ${a.direction} to ${amount(a.actual)} vs ${amount(a.baseline)} expected${ratio}${cause}`);
  }

  const r = view.reconciliation;
  lines.push("");
  if (r.days.every((d) => d.modelMicroUsd === null)) lines.push("Reconciliation: no day of the window has a complete Lambda usage model (REPORT lines do not cover it)");
  else lines.push(`Reconciliation (AWS Lambda, usage model vs bill): model ${usd(r.modelMicroUsd)}, billed ${usd(r.billedMicroUsd)}, gap ${usd(r.gapMicroUsd)} (${formatPercent(r.gapRatio)})`);
  for (const note of r.notes) lines.push(`  - ${note}`);

  if (view.drill !== null) {
    const d = view.drill;
    lines.push("", `${d.label}: ${usd(d.totalMicroUsd)}`);
    lines.push(
      ...columns(
        [["service", "source", "pool", "cost"], ...d.byService.map((s) => [s.service, s.source, s.pool ?? "", usd(s.microUsd)])],
        new Set([3]),
      ).map((l) => `  ${l}`),
    );
    if (d.byFunction.length > 0) {
      lines.push("", `  Lambda per function (${d.functionDays} day${d.functionDays === 1 ? "" : "s"} with per-function lines):`);
      lines.push(...columns([["function", "usage type", "cost"], ...d.byFunction.map((f) => [f.functionName, f.usageType, usd(f.microUsd)])], new Set([2])).map((l) => `    ${l}`));
    }
  }
  if (view.notes.length > 0) lines.push("", "Notes:", ...view.notes.map((n) => `  - ${n}`));
  return lines.join("\n");
}

/** The budgets table of `cost budget list`. */
export function formatBudgets(budgets: readonly CostBudget[]): string {
  if (budgets.length === 0) return "No budgets. Set one with `sightline cost budget set --group-by tag:team --bucket value:payments --monthly-usd 1200`.";
  return columns(
    [["group by", "bucket", "monthly", "alert at"], ...budgets.map((b) => [b.groupBy, b.bucket, usd(b.monthlyMicroUsd), b.alertAtRatios.map(formatThresholdPercent).join(", ")])],
    new Set([2]),
  ).join("\n");
}

/** The path parseCostSettings reports for a field of budgets[index] → the flag that set it. */
function flagForBudgetPath(path: string, index: number): string | null {
  const prefix = `budgets[${index}]`;
  if (!path.startsWith(prefix)) return null;
  const field = path.slice(prefix.length);
  if (field.startsWith(".groupBy")) return "--group-by";
  if (field.startsWith(".bucket")) return "--bucket";
  if (field.startsWith(".monthlyMicroUsd")) return "--monthly-usd";
  if (field.startsWith(".alertAtRatios")) return "--alert-at";
  return null;
}

/**
 * Validates changed settings with parseCostSettings before they are stored. A problem with the
 * budget the flags describe is a UsageError naming the flag (exit 2); a problem elsewhere
 * (the stored settings) is a UserFacingError (exit 1).
 */
export function validateChangedSettings(settings: CostSettings, changedBudgetIndex: number | null): CostSettings {
  const parsed = parseCostSettings(settings);
  if (parsed.kind === "ok") return parsed.settings;
  for (const error of parsed.errors) {
    const flag = changedBudgetIndex === null ? null : flagForBudgetPath(error.path, changedBudgetIndex);
    if (flag !== null) throw new UsageError(`${flag}: ${error.message}`);
  }
  throw new UserFacingError(`the cost settings would be invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
}

export interface CostCliDeps {
  view: CostViewDeps;
  settings: Pick<DynamoCostSettingsStore, "get" | "getStored" | "putStored">;
}

/** Who a CLI change is recorded as in the settings item. */
function cliActor(): string {
  return `cli:${process.env.USER ?? process.env.USERNAME ?? "unknown"}`;
}

/** Runs one parsed action; returns the exit code. Output to stdout, progress to stderr. */
export async function runCost(deps: CostCliDeps, args: Exclude<CostArgs, { help: true }>, nowMs: number): Promise<number> {
  switch (args.action) {
    case "report": {
      const result = await getCostView(deps.view, { groupBy: args.params.groupBy, window: args.params.window, bucket: args.params.bucket }, nowMs);
      if (result.kind === "no-data") throw new UserFacingError(result.message);
      console.log(args.json ? JSON.stringify(result.view) : formatCostReport(result.view));
      return 0;
    }
    case "export": {
      const { groupBy, window, bucket } = args.params;
      const rows = (await getCostExportRows(deps.view, { groupBy, window }, nowMs)).filter((row) => bucket === null || bucketId(row.bucket) === bucket);
      const text = toCostExport(args.format, rows);
      if (args.out === null) process.stdout.write(text);
      else await writeFile(args.out, text, "utf8");
      const total = sumBilledMicroUsd(rows);
      const where = args.out ?? "stdout";
      console.error(`${rows.length} rows, total ${formatMicroUsd(total)} USD billed (${usd(total)}) → ${where}${args.out === null ? ` (suggested name ${costExportFilename(args.format, formatGroupBy(groupBy), window)})` : ""}`);
      if (rows.length === 0) console.error("warning: no cost lines in this window; the file has the header only (has the costs collector run?)");
      return 0;
    }
    case "budget-list": {
      const settings = await deps.settings.get();
      console.log(args.json ? JSON.stringify(settings.budgets) : formatBudgets(settings.budgets));
      return 0;
    }
    case "budget-set": {
      const stored = await deps.settings.getStored();
      const budget: CostBudget = { groupBy: args.groupBy, bucket: args.bucket, monthlyMicroUsd: args.monthlyMicroUsd, alertAtRatios: args.alertAtRatios };
      const changed = withBudget(stored.settings, budget);
      const valid = validateChangedSettings(changed.settings, changed.index);
      await deps.settings.putStored(valid, { updatedBy: cliActor(), atMs: nowMs }, stored.version);
      console.log(`Budget set: ${budget.groupBy} ${budget.bucket} ${usd(budget.monthlyMicroUsd)} a month, alerts at ${budget.alertAtRatios.map(formatThresholdPercent).join(", ")}`);
      return 0;
    }
    case "budget-remove": {
      const stored = await deps.settings.getStored();
      const changed = withoutBudget(stored.settings, args.groupBy, args.bucket);
      if (changed === null) throw new UserFacingError(`no budget for ${args.groupBy} ${args.bucket}; \`sightline cost budget list\` shows them`);
      await deps.settings.putStored(validateChangedSettings(changed, null), { updatedBy: cliActor(), atMs: nowMs }, stored.version);
      console.log(`Budget removed: ${args.groupBy} ${args.bucket}`);
      return 0;
    }
  }
}

function localDeps(tagKeys: readonly string[], homeAccountId: string | undefined): { deps: CostCliDeps; dynamoEndpoint: string | undefined } {
  const { doc, tableName, dynamoEndpoint } = openLocalTable();
  const settings = new DynamoCostSettingsStore(doc, tableName);
  return {
    dynamoEndpoint,
    deps: {
      settings,
      view: {
        functions: new DynamoFunctionStore(doc, tableName),
        costLines: new DynamoCostLineStore(doc, tableName),
        series: new DynamoMetricSeriesStore(doc, tableName),
        reportStats: new DynamoReportStatsStore(doc, tableName),
        serviceGraph: new DynamoServiceGraphStore(doc, tableName),
        watermarks: new DynamoWatermarkStore(doc, tableName),
        costSettings: settings,
        tagKeys,
        homeAccountId: homeAccountId ?? null,
      },
    },
  };
}

export const costCommand: Command = {
  spec: costSpec,
  async run(argv) {
    const config = parseEnv(CostCliConfigSchema, process.env);
    const nowMs = Date.now();
    const args = parseCostArgs(argv, nowMs, config.COST_ALLOCATION_TAG_KEYS);
    if (args.help) return (console.log(formatHelp(costSpec)), 0);
    const { deps, dynamoEndpoint } = localDeps(config.COST_ALLOCATION_TAG_KEYS, config.SIGHTLINE_ACCOUNT_ID);
    try {
      return await runCost(deps, args, nowMs);
    } catch (error) {
      if (error instanceof CostSettingsVersionConflictError) throw new UserFacingError(`${error.message}: someone changed the cost settings meanwhile; run the command again`);
      if (/ResourceNotFoundException/.test(describeError(error))) throw new UserFacingError("nothing has been collected yet: start the local stack (`npx sightline start`), then try again");
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
