import { firstTierDurationUsdPerGbSecond, lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { durationRatio, projectMeanDurationMs } from "@/lib/domain/sizing/duration-model";
import {
  BILLING_ROUNDING_MS,
  MIN_CONFIDENT_INVOCATIONS,
  MONTH_DAYS,
  costPhrase,
  formatCount,
  formatMb,
  formatMs,
  formatPercent,
  formatUsd,
  hoursAtCurrentSize,
  mapRange,
  measuredLatency,
  minimumSavingUsd,
  observedTraffic,
  onDemandCostRangeUsd,
  onDemandCostUsd,
  riskUnitsFor,
} from "@/lib/domain/sizing/memory-sizing";
import type { Confidence, DurationModel, Recommendation, SizingInput } from "@/lib/domain/sizing/tuning-types";

/**
 * The architecture check (issue 7): would this x86_64 function do the same work for less on
 * arm64 (Graviton)? arm64 duration is ~20 % cheaper per GB-s (FACTS §2); only the CPU part of
 * the duration changes, by an assumed ratio (settings.arm64CpuRatio), while I/O wait does not.
 * Recommended only when the expected saving is worth it and the pessimistic end still saves.
 * Never applied by the console: the architecture goes with the code.
 */

export const ARCHITECTURE_NOT_APPLIABLE_REASON = "the architecture goes with the code: rebuild for arm64 and deploy it (UpdateFunctionCode with Architectures)";

/**
 * Runtimes Lambda never offered on arm64: those on Amazon Linux 1 (go1.x, java8, python3.7
 * and older, ruby2.5, dotnetcore2.1, provided) and those retired before Graviton2 support
 * arrived in September 2021 (nodejs10.x and older). Their successors (provided.al2,
 * java8.al2, python3.8+, nodejs12.x+) all run on arm64.
 */
export const RUNTIMES_WITHOUT_ARM64: ReadonlySet<string> = new Set([
  "go1.x",
  "java8",
  "python2.7",
  "python3.6",
  "python3.7",
  "nodejs",
  "nodejs4.3",
  "nodejs4.3-edge",
  "nodejs6.10",
  "nodejs8.10",
  "nodejs10.x",
  "ruby2.5",
  "dotnetcore1.0",
  "dotnetcore2.0",
  "dotnetcore2.1",
  "provided",
]);

export interface ArchitectureResult {
  recommendation: Recommendation | null;
  note: string | null;
}

/** What has to be true of the build for arm64, beyond recompiling the function's own code. */
interface PortingFlags {
  /** The runtime has no arm64 variant: a blocker, not a caveat. */
  unsupportedRuntime: string | null;
  layers: string[];
  image: boolean;
}

function portingFlags(fn: FunctionConfig): PortingFlags {
  return {
    unsupportedRuntime: fn.runtime !== null && RUNTIMES_WITHOUT_ARM64.has(fn.runtime) ? fn.runtime : null,
    layers: fn.layers,
    image: fn.packageType === "Image",
  };
}

/** The caveats in words (each needs checking before the move; the recommendation stays low-confidence). */
function portingCaveats(flags: PortingFlags): string[] {
  const caveats: string[] = [];
  if (flags.layers.length > 0) {
    caveats.push(`${flags.layers.length} ${flags.layers.length === 1 ? "layer" : "layers"} must each publish an arm64 build: ${flags.layers.join(", ")}.`);
  }
  if (flags.image) caveats.push("Packaged as a container image: it needs an arm64 (or multi-arch) image.");
  return caveats;
}

/**
 * Whether moving an x86_64 function to arm64 pays: projected duration (CPU part × the
 * arm64 ratio, I/O unchanged) at the arm64 price, against the current cost.
 */
export function recommendArchitecture(input: SizingInput, model: DurationModel): ArchitectureResult {
  const { fn, settings } = input;
  if (fn.architecture !== "x86_64") return { recommendation: null, note: null };
  const traffic = observedTraffic(input);
  if (traffic.invocations <= 0) return { recommendation: null, note: null };

  const ratio = settings.arm64CpuRatio;
  const currentMeanMs = projectMeanDurationMs(model, fn.memoryMb, "x86_64", ratio).expected;
  const durationFactor = durationRatio(model, fn.memoryMb, fn.memoryMb, "arm64", ratio);
  const projectedMeanMs = mapRange(durationFactor, (f) => currentMeanMs * f);
  const price = { region: fn.region, memoryMb: fn.memoryMb, invocations: traffic.monthly };
  const currentUsd = onDemandCostUsd({ ...price, architecture: "x86_64", meanDurationMs: currentMeanMs });
  const projectedUsd = onDemandCostRangeUsd({ ...price, architecture: "arm64", meanDurationMs: projectedMeanMs });
  const deltaUsd = mapRange(projectedUsd, (usd) => usd - currentUsd);
  const minSavingUsd = minimumSavingUsd(settings, currentUsd);
  const flags = portingFlags(fn);

  const saving = -deltaUsd.expected;
  const savingPhrase = `arm64 would save about ${formatUsd(saving)} a month (${formatPercent(currentUsd > 0 ? saving / currentUsd : 0)})`;
  if (flags.unsupportedRuntime !== null) {
    return { recommendation: null, note: `Staying on x86_64: the ${flags.unsupportedRuntime} runtime has no arm64 version; move to a supported runtime first (${savingPhrase}).` };
  }
  if (saving < minSavingUsd) {
    return { recommendation: null, note: `Staying on x86_64: ${savingPhrase}, below the ${formatUsd(minSavingUsd)} worth a rebuild.` };
  }
  if (deltaUsd.upper >= 0) {
    return {
      recommendation: null,
      note: `Staying on x86_64: ${savingPhrase} expected, but could cost ${formatUsd(deltaUsd.upper)} more a month if arm64 runs its CPU work ${ratio.upper}× as long.`,
    };
  }

  const measured = measuredLatency(hoursAtCurrentSize(input));
  const baselineP50Ms = measured.p50Ms ?? currentMeanMs * model.p50ToMean;
  const baselineP99Ms = measured.p99Ms ?? currentMeanMs * model.p99ToMean;
  const p50Ms = mapRange(durationFactor, (f) => baselineP50Ms * f);
  const p99Ms = mapRange(durationFactor, (f) => baselineP99Ms * f);
  const caveats = portingCaveats(flags);
  const confidence: Confidence = caveats.length > 0 || traffic.invocations < MIN_CONFIDENT_INVOCATIONS ? "low" : "medium";

  const cpuShare = currentMeanMs > 0 ? (currentMeanMs - model.ioMs.expected) / currentMeanMs : 0;
  const evidence = [
    `On x86_64 at ${formatMb(fn.memoryMb)}: mean ${formatMs(currentMeanMs)}, about ${formatPercent(Math.max(0, cpuShare))} of it CPU (${model.basis === "fitted" ? "fitted" : "split unknown, all-I/O to all-CPU"}).`,
    `${formatCount(Math.round(traffic.perDay))} invocations a day; about ${formatUsd(currentUsd)} a month now, ${formatUsd(projectedUsd.expected)} on arm64 (${formatUsd(projectedUsd.lower)}–${formatUsd(projectedUsd.upper)}).`,
    ...model.evidence,
    ...caveats,
  ];
  return {
    recommendation: {
      id: `${fn.accountId}/${fn.region}/${fn.functionName}/architecture`,
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.functionName,
      kind: "architecture",
      finding: "arm64-candidate",
      summary: `Move to arm64 (Graviton): ${costPhrase(deltaUsd.expected, currentUsd)}, still saving ${formatUsd(-deltaUsd.upper)} at worst; p50 ${formatMs(baselineP50Ms)} → ${formatMs(p50Ms.expected)} expected (at most ${formatMs(p50Ms.upper)}). Needs an arm64 build.`,
      current: "x86_64",
      proposed: "arm64",
      change: null,
      notAppliableReason: ARCHITECTURE_NOT_APPLIABLE_REASON,
      revert: null,
      monthlyCost: { currentUsd, projectedUsd, deltaUsd },
      effects: { p50Ms: { current: measured.p50Ms, projected: p50Ms }, p99Ms: { current: measured.p99Ms, projected: p99Ms } },
      confidence,
      evidence,
      assumptions: architectureAssumptions(input, traffic.perDay, caveats),
      riskUnits: riskUnitsFor(confidence, baselineP50Ms, p50Ms.upper),
    },
    note: null,
  };
}

function architectureAssumptions(input: SizingInput, perDay: number, caveats: readonly string[]): string[] {
  const { fn, settings } = input;
  const ratio = settings.arm64CpuRatio;
  const x86 = lambdaPricesFor(fn.region, "x86_64");
  const arm = lambdaPricesFor(fn.region, "arm64");
  return [
    `arm64 takes ${ratio.expected}× the x86_64 CPU time for the same work (${ratio.lower}–${ratio.upper}×, setting); I/O wait does not change.`,
    `Priced at the first-tier on-demand rates in ${x86.pricedRegion}: $${firstTierDurationUsdPerGbSecond(x86.prices).toFixed(10)} per GB-s on x86_64, $${firstTierDurationUsdPerGbSecond(arm.prices).toFixed(10)} on arm64, plus $${(x86.prices.requestUsd * 1e6).toFixed(2)} per million requests${x86.assumed ? ` (no prices listed for ${fn.region})` : ""}.`,
    `A ${MONTH_DAYS}-day month at the observed traffic (${formatCount(Math.round(perDay))} invocations a day); memory stays at ${formatMb(fn.memoryMb)}.`,
    `Billing rounds each invocation up to the next 1 ms: about ${BILLING_ROUNDING_MS} ms added per invocation.`,
    caveats.length > 0 ? "The code, its dependencies and the items below all build for arm64." : "The code and its native dependencies build for arm64.",
    ...caveats,
  ];
}
