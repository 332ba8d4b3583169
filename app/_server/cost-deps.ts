import type { ConsoleDeps } from "@/app/_server/deps";
import { ApiError, ConflictError } from "@/app/_server/http-errors";
import { CorruptCostSettingsError, CostSettingsVersionConflictError } from "@/lib/adapters/dynamodb/cost-settings-repository";
import type { CostSettings } from "@/lib/domain/cost/cost-types";
import type { CostViewDeps } from "@/lib/queries/cost-view";

export type { StoredCostSettings } from "@/lib/adapters/dynamodb/cost-settings-repository";

/** The repositories and configuration the cost view reads, from the console's composition root. */
export function costViewDeps(deps: ConsoleDeps): CostViewDeps {
  return {
    functions: deps.functions,
    costLines: deps.costLines,
    series: deps.series,
    reportStats: deps.reportStats,
    serviceGraph: deps.serviceGraph,
    watermarks: deps.watermarks,
    costSettings: deps.costSettings,
    tagKeys: deps.config.COST_ALLOCATION_TAG_KEYS,
    homeAccountId: deps.config.SIGHTLINE_ACCOUNT_ID ?? null,
  };
}

/**
 * What parseCostSettings cannot know: whether budgets and pools name allocation tag keys this
 * installation groups by (COST_ALLOCATION_TAG_KEYS). A budget under `tag:teem` would never
 * match a bucket and never alert, so a save naming an unconfigured key is refused, with the
 * path of the field, in parseCostSettings's error shape.
 */
export function costSettingsTagKeyErrors(settings: CostSettings, tagKeys: readonly string[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const accepted = [...tagKeys.map((k) => `tag:${k}`), "service"].join(", ");
  settings.budgets.forEach((budget, i) => {
    const ok = budget.groupBy === "service" || (budget.groupBy.startsWith("tag:") && tagKeys.includes(budget.groupBy.slice(4)));
    if (!ok) errors.push({ path: `budgets[${i}].groupBy`, message: `"${budget.groupBy}" is not a grouping of this installation: use one of ${accepted} (COST_ALLOCATION_TAG_KEYS)` });
  });
  settings.pools.forEach((pool, i) => {
    if (pool.tagKey !== "*" && !tagKeys.includes(pool.tagKey)) {
      errors.push({ path: `pools[${i}].tagKey`, message: `"${pool.tagKey}" is not an allocation tag key of this installation: use "*" or one of ${tagKeys.join(", ")} (COST_ALLOCATION_TAG_KEYS)` });
    }
  });
  return errors;
}

/**
 * The settings store's typed errors as API errors: a stored document that no longer validates
 * is a 500 that names the item and fields (an operator can act on it; no secret is in it),
 * a conditional save over a newer version a 409. Anything else goes on unchanged.
 */
export function toCostSettingsApiError(error: unknown): unknown {
  if (error instanceof CorruptCostSettingsError) return new ApiError(500, "internal", error.message, { errors: error.errors });
  if (error instanceof CostSettingsVersionConflictError) return new ConflictError(error.message, { expectedVersion: error.expectedVersion });
  return error;
}
