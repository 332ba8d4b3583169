import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { columns } from "@/cli/text-columns";
import { formatDurationMs, formatInteger, formatMemoryMb, formatUsd, formatWindowUtc } from "@/app/(console)/_format/format";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { formatPcPlan } from "@/lib/domain/sizing/whatif-replay";
import type { WhatIfResult, WhatIfTotals } from "@/lib/domain/sizing/tuning-types";
import { describeError } from "@/lib/use-cases/describe-error";
import { MAX_REPLAY_HOURS, parseWhatIfRequest, runWhatIf, type WhatIfDeps, type WhatIfRequest } from "@/lib/queries/what-if";

const spec = {
  name: "whatif",
  summary: "replay a function's recorded traffic against another memory, architecture, PC or reserved concurrency",
  usage: 'sightline whatif --function <name> [--memory 1024] [--arch arm64] [--pc "09:00-18:00=20"] [--reserved 50|none] [--hours 24] [--json]',
  options: {
    function: { type: "string" },
    account: { type: "string" },
    region: { type: "string" },
    memory: { type: "string" },
    arch: { type: "string" },
    pc: { type: "string" },
    reserved: { type: "string" },
    hours: { type: "string" },
    json: { type: "boolean" },
  },
  optionHelp: [
    "--function <name>  the function to replay (required)",
    "--account <id>     its account, when the name exists in several",
    "--region <r>       its region, when the name exists in several",
    "--memory <MB>      candidate memory, 128–10240 (default: as now)",
    "--arch <a>         candidate architecture: x86_64 or arm64 (default: as now)",
    '--pc <plan>        provisioned concurrency: none, 20, "09:00-18:00=20,base=2" (UTC) or "target=0.7,min=2,max=40"',
    "--reserved <n>     reserved concurrency, or none (default: as now)",
    `--hours <h>        the window replayed, ending at the newest metrics (default 24, at most ${MAX_REPLAY_HOURS}; minute by minute up to 72)`,
    "--json             print the result as JSON (what POST /api/v1/whatif returns)",
  ],
} satisfies CommandSpec;

export interface WhatIfArgs {
  help: boolean;
  json: boolean;
  request: WhatIfRequest;
}

/** A whole number from a flag, or a UsageError naming the flag. */
function integerFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

/** Parses the flags into a what-if request; the request's own validation runs in runWhatIf's parser. */
export function parseWhatIfArgs(argv: string[]): WhatIfArgs {
  const { values, positionals } = parseCommandArgs(spec, argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; the function goes after --function`);
  const help = values.help === true;
  if (values.function === undefined) {
    if (help) return { help, json: false, request: { functionName: "" } };
    throw new UsageError("--function is required: which function's traffic to replay");
  }
  const request: WhatIfRequest = { functionName: values.function };
  if (values.account !== undefined) request.accountId = values.account;
  if (values.region !== undefined) request.region = values.region;
  if (values.memory !== undefined) request.memoryMb = integerFlag("memory", values.memory);
  if (values.arch !== undefined) {
    if (values.arch !== "x86_64" && values.arch !== "arm64") throw new UsageError(`--arch must be x86_64 or arm64, got "${values.arch}"`);
    request.architecture = values.arch;
  }
  if (values.pc !== undefined) request.pc = values.pc;
  if (values.reserved !== undefined) request.reservedConcurrency = values.reserved === "none" ? null : integerFlag("reserved", values.reserved);
  if (values.hours !== undefined) request.hours = integerFlag("hours", values.hours);
  return { help, json: values.json === true, request };
}

function totalsRow(label: string, t: WhatIfTotals): string[] {
  return [label, formatInteger(t.invocations), formatUsd(t.costUsd), formatInteger(Math.round(t.coldStarts)), formatDurationMs(t.p50Ms), formatDurationMs(t.p99Ms), formatInteger(Math.round(t.throttles)), formatInteger(Math.round(t.spillover))];
}

/** The side-by-side table a person reads. */
export function formatWhatIf(result: WhatIfResult): string {
  const setting = (s: WhatIfResult["current"]) =>
    `${formatMemoryMb(s.memoryMb)} · ${s.architecture} · PC ${formatPcPlan(s.pc)} · reserved ${s.reservedConcurrency ?? "none"}`;
  const { projected } = result;
  const burns = result.actual.sloBurn.map((actual) => {
    const after = projected.sloBurn.find((b) => b.sloId === actual.sloId)?.burnRate ?? null;
    const rate = (r: number | null) => (r === null ? "—" : `${r.toFixed(2)}×`);
    return `  ${actual.name}: burn ${rate(actual.burnRate)} → ${rate(after)}`;
  });
  return [
    `${result.functionName}, ${formatWindowUtc(result.window)} (confidence ${result.confidence})`,
    `  actual:    ${setting(result.current)}`,
    `  candidate: ${setting(result.candidate)}`,
    "",
    ...columns(
      [["", "invocations", "cost", "cold starts", "p50", "p99", "throttles", "spillover"], totalsRow("actual", result.actual), totalsRow("what-if", projected)],
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ),
    `  what-if cost range ${formatUsd(projected.costUsdRange.lower)} … ${formatUsd(projected.costUsdRange.upper)}` +
      (projected.p99MsRange === null ? "" : `, p99 ${formatDurationMs(projected.p99MsRange.lower)} … ${formatDurationMs(projected.p99MsRange.upper)}`),
    ...(burns.length > 0 ? ["", "SLO burn over the window:", ...burns] : []),
    "",
    "Assumptions:",
    ...result.assumptions.map((a) => `  - ${a}`),
  ].join("\n");
}

function localDeps(): { deps: WhatIfDeps; dynamoEndpoint: string | undefined } {
  const { doc, tableName, dynamoEndpoint } = openLocalTable();
  return {
    dynamoEndpoint,
    deps: {
      functions: new DynamoFunctionStore(doc, tableName),
      series: new DynamoMetricSeriesStore(doc, tableName),
      reportStats: new DynamoReportStatsStore(doc, tableName),
      analysis: new DynamoAnalysisStore(doc, tableName),
      slos: new DynamoSloStore(doc, tableName),
      watermarks: new DynamoWatermarkStore(doc, tableName),
    },
  };
}

/** Runs the replay and renders it; not-found, ambiguous and no-data become clear errors. */
export async function showWhatIf(deps: WhatIfDeps, args: WhatIfArgs, nowMs: number): Promise<string> {
  const parsed = parseWhatIfRequest(args.request);
  if (!parsed.ok) {
    const flag: Record<string, string> = { memoryMb: "--memory", architecture: "--arch", pc: "--pc", reservedConcurrency: "--reserved", hours: "--hours", functionName: "--function", accountId: "--account", region: "--region" };
    const [first] = parsed.errors;
    throw new UsageError(`${flag[first!.path] ?? first!.path} ${first!.message}`);
  }
  const outcome = await runWhatIf(deps, parsed, nowMs);
  if (outcome.kind === "not-found") {
    if (outcome.known === 0) throw new UserFacingError("nothing has been collected yet: start the local stack (`npx sightline start`) or run `npx sightline collect --once`, then try again");
    throw new UserFacingError(`no function named "${outcome.functionName}" has been collected; \`sightline tuning\` lists them`);
  }
  if (outcome.kind === "ambiguous") throw new UsageError(`"${outcome.functionName}" exists in ${outcome.choices.map((c) => `${c.accountId}/${c.region}`).join(", ")}; add --account and --region`);
  if (outcome.kind === "no-data") throw new UserFacingError(outcome.reason);
  return args.json ? JSON.stringify(outcome.result) : formatWhatIf(outcome.result);
}

export const whatifCommand: Command = {
  spec,
  async run(argv) {
    const args = parseWhatIfArgs(argv);
    if (args.help) return (console.log(formatHelp(spec)), 0);
    const { deps, dynamoEndpoint } = localDeps();
    try {
      console.log(await showWhatIf(deps, args, Date.now()));
      return 0;
    } catch (error) {
      if (/ResourceNotFoundException/.test(describeError(error))) throw new UserFacingError("nothing has been collected yet: start the local stack (`npx sightline start`), then try again");
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
