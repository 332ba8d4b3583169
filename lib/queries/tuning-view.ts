import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { rankRecommendations } from "@/lib/domain/sizing/rank";
import type { FunctionTuning, Range, Recommendation, TuningAuditEntry, TuningFinding } from "@/lib/domain/sizing/tuning-types";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import type { FunctionStore } from "@/lib/ports/stores";
import type { TuningAuditStore } from "@/lib/ports/tuning-apply";
import { lookupFunction, type FunctionLookup } from "@/lib/queries/function-lookup";

/**
 * The tuning read side: the fleet's recommendations ranked by saving per unit of risk, one
 * function's recommendations with its audit trail, and a recommendation by id (for apply).
 * Everything comes from what the analyze collector stored; nothing here calls AWS.
 */

export interface TuningViewDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  analysis: Pick<AnalysisStore, "list">;
}

export interface TuningFunctionRow {
  accountId: string;
  region: string;
  functionName: string;
  status: "analysed" | "insufficient-data" | "not-analysed";
  currentMonthlyCostUsd: number | null;
  findings: TuningFinding[];
  /** Why there is nothing to show (insufficient data, not analysed yet), or the first note; null otherwise. */
  reason: string | null;
}

export interface TuningFleetView {
  /** When the newest analysis was made; null when none has run. */
  asOfMs: number | null;
  ranked: (Recommendation & { savingPerRisk: number })[];
  functions: TuningFunctionRow[];
  totals: {
    recommendations: number;
    /** Σ of savings (positive USD/month) of the recommendations that save money. */
    monthlySavingUsd: Range;
    /** Σ of extra spend (positive USD/month) of those that cost money (fixes). */
    monthlyExtraUsd: Range;
  };
}

/** Every function's stored analysis across the accounts/regions in the inventory. */
async function readAnalyses(deps: TuningViewDeps): Promise<{ functions: FunctionConfig[]; analyses: FunctionAnalysis[] }> {
  const functions = await deps.functions.listFunctions();
  const scopes = [...new Map(functions.map((f) => [`${f.accountId}#${f.region}`, { accountId: f.accountId, region: f.region }])).values()];
  const analyses = (await Promise.all(scopes.map((s) => deps.analysis.list(s.accountId, s.region)))).flat();
  return { functions, analyses };
}

export async function getTuningView(deps: TuningViewDeps): Promise<TuningFleetView> {
  const { functions, analyses } = await readAnalyses(deps);
  const byKey = new Map(analyses.map((a) => [`${a.accountId}#${a.region}#${a.functionName}`, a]));
  const tunings = analyses.flatMap((a) => (a.tuning === null ? [] : [a.tuning]));
  const recommendations = tunings.flatMap((t) => (t.status === "analysed" ? t.recommendations : []));
  const rows = functions
    .map((fn) => toRow(fn, byKey.get(`${fn.accountId}#${fn.region}#${fn.functionName}`)?.tuning ?? null))
    .sort((a, b) => b.findings.length - a.findings.length || a.functionName.localeCompare(b.functionName) || a.accountId.localeCompare(b.accountId));
  const saving = recommendations.filter((r) => r.monthlyCost.deltaUsd.expected < 0);
  const extra = recommendations.filter((r) => r.monthlyCost.deltaUsd.expected >= 0);
  return {
    asOfMs: tunings.length === 0 ? null : Math.max(...tunings.map((t) => t.asOfMs)),
    ranked: rankRecommendations(recommendations),
    functions: rows,
    totals: {
      recommendations: recommendations.length,
      monthlySavingUsd: sumRange(saving.map((r) => negate(r.monthlyCost.deltaUsd))),
      monthlyExtraUsd: sumRange(extra.map((r) => r.monthlyCost.deltaUsd)),
    },
  };
}

function toRow(fn: FunctionConfig, tuning: FunctionTuning | null): TuningFunctionRow {
  const ref = { accountId: fn.accountId, region: fn.region, functionName: fn.functionName };
  if (tuning === null) return { ...ref, status: "not-analysed", currentMonthlyCostUsd: null, findings: [], reason: "not analysed yet: the analyze collector runs after the metrics and REPORT lines are in" };
  if (tuning.status === "insufficient-data") return { ...ref, status: "insufficient-data", currentMonthlyCostUsd: null, findings: [], reason: tuning.reason };
  return {
    ...ref,
    status: "analysed",
    currentMonthlyCostUsd: tuning.currentMonthlyCostUsd,
    findings: tuning.recommendations.map((r) => r.finding),
    reason: tuning.recommendations.length === 0 ? (tuning.notes[0] ?? "nothing to change") : null,
  };
}

/** A saving Range (negative deltas) as positive amounts, keeping lower ≤ upper. */
function negate(r: Range): Range {
  return { lower: -r.upper, expected: -r.expected, upper: -r.lower };
}

function sumRange(ranges: readonly Range[]): Range {
  return ranges.reduce((sum, r) => ({ lower: sum.lower + r.lower, expected: sum.expected + r.expected, upper: sum.upper + r.upper }), { lower: 0, expected: 0, upper: 0 });
}

export interface FunctionTuningView {
  accountId: string;
  region: string;
  functionName: string;
  config: {
    memoryMb: number;
    architecture: FunctionConfig["architecture"];
    runtime: string | null;
    reservedConcurrency: number | null;
    provisionedConcurrency: { qualifier: string; requested: number }[];
    aliases: { name: string; functionVersion: string }[];
  };
  tuning: FunctionTuning | null;
  audit: TuningAuditEntry[];
}

export type FunctionTuningResult = { kind: "found"; view: FunctionTuningView } | Exclude<FunctionLookup, { kind: "found" }>;

/** How many audit entries the function view shows. */
const AUDIT_LIMIT = 50;

export async function getFunctionTuningView(
  deps: TuningViewDeps & { tuningAudit: Pick<TuningAuditStore, "list"> },
  ref: { functionName: string; accountId?: string; region?: string },
): Promise<FunctionTuningResult> {
  const lookup = await lookupFunction(deps.functions, ref);
  if (lookup.kind !== "found") return lookup;
  const { fn } = lookup;
  const [analyses, audit] = await Promise.all([
    deps.analysis.list(fn.accountId, fn.region),
    deps.tuningAudit.list({ accountId: fn.accountId, region: fn.region, functionName: fn.functionName, limit: AUDIT_LIMIT }),
  ]);
  return {
    kind: "found",
    view: {
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.functionName,
      config: {
        memoryMb: fn.memoryMb,
        architecture: fn.architecture,
        runtime: fn.runtime,
        reservedConcurrency: fn.reservedConcurrency,
        provisionedConcurrency: fn.provisionedConcurrency.map((pc) => ({ qualifier: pc.qualifier, requested: pc.requested })),
        aliases: fn.aliases.map((a) => ({ name: a.name, functionVersion: a.functionVersion })),
      },
      tuning: analyses.find((a) => a.functionName === fn.functionName)?.tuning ?? null,
      audit,
    },
  };
}

/** The stored recommendation with this id (`<account>/<region>/<function>/<kind>`), or null. */
export async function findRecommendation(deps: TuningViewDeps, id: string): Promise<Recommendation | null> {
  const [accountId, region, functionName] = id.split("/");
  if (accountId === undefined || region === undefined || functionName === undefined) return null;
  const analyses = await deps.analysis.list(accountId, region);
  const tuning = analyses.find((a) => a.functionName === functionName)?.tuning;
  if (tuning?.status !== "analysed") return null;
  return tuning.recommendations.find((r) => r.id === id) ?? null;
}
