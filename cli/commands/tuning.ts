import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { columns } from "@/cli/text-columns";
import { formatUsd } from "@/app/(console)/_format/format";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import type { Recommendation } from "@/lib/domain/sizing/tuning-types";
import { describeError } from "@/lib/use-cases/describe-error";
import { getTuningView, type TuningFleetView, type TuningViewDeps } from "@/lib/queries/tuning-view";

const spec = {
  name: "tuning",
  summary: "tuning recommendations: memory, architecture, provisioned and reserved concurrency, ranked by saving per risk",
  usage: "sightline tuning [--function <name>] [--json]",
  options: { function: { type: "string" }, json: { type: "boolean" } },
  optionHelp: ["--function <name> only this function's recommendations, with evidence and assumptions", "--json            print the view model as JSON (what GET /api/v1/tuning returns)"],
} satisfies CommandSpec;

const delta = (r: Recommendation) => {
  const d = r.monthlyCost.deltaUsd;
  const sign = (usd: number) => (usd < 0 ? `−${formatUsd(-usd)}` : `+${formatUsd(usd)}`);
  return `${sign(d.expected)} (${sign(d.lower)} … ${sign(d.upper)})`;
};

/** The ranked list: one line per recommendation, then the functions with none. */
export function formatTuning(view: TuningFleetView, functionName: string | null): string {
  const ranked = view.ranked.filter((r) => functionName === null || r.functionName === functionName);
  const lines = ranked.length === 0 ? ["No recommendations."] : columns(
    [["function", "finding", "now", "proposed", "per month", "confidence"], ...ranked.map((r) => [r.functionName, r.finding, r.current, r.proposed, delta(r), r.confidence])],
    new Set(),
  );
  if (functionName !== null) {
    for (const r of ranked) lines.push("", r.summary, ...r.evidence.map((e) => `  evidence: ${e}`), ...r.assumptions.map((a) => `  assumes: ${a}`), ...(r.notAppliableReason ? [`  not appliable here: ${r.notAppliableReason}`] : []));
    return lines.join("\n");
  }
  const quiet = view.functions.filter((f) => f.findings.length === 0);
  return [
    `Savings available: ${formatUsd(view.totals.monthlySavingUsd.expected)}/month (${formatUsd(view.totals.monthlySavingUsd.lower)} … ${formatUsd(view.totals.monthlySavingUsd.upper)}); fixes cost ${formatUsd(view.totals.monthlyExtraUsd.expected)}/month`,
    "",
    ...lines,
    ...(quiet.length > 0 ? ["", "No recommendation:", ...quiet.map((f) => `  ${f.functionName}: ${f.reason ?? "nothing to change"}`)] : []),
  ].join("\n");
}

export const tuningCommand: Command = {
  spec,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(spec, argv);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.help === true) return (console.log(formatHelp(spec)), 0);
    const { doc, tableName, dynamoEndpoint } = openLocalTable();
    const deps: TuningViewDeps = { functions: new DynamoFunctionStore(doc, tableName), analysis: new DynamoAnalysisStore(doc, tableName) };
    try {
      const view = await getTuningView(deps);
      if (view.asOfMs === null) throw new UserFacingError("no analysis yet: start the local stack (`npx sightline start`) and let the analyze collector run, then try again");
      const name = values.function ?? null;
      if (name !== null && !view.functions.some((f) => f.functionName === name)) throw new UserFacingError(`no function named "${name}" has been collected`);
      console.log(values.json === true ? JSON.stringify(view) : formatTuning(view, name));
      return 0;
    } catch (error) {
      if (/ResourceNotFoundException/.test(describeError(error))) throw new UserFacingError("nothing has been collected yet: start the local stack (`npx sightline start`), then try again");
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
