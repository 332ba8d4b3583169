import type { Architecture } from "@/lib/domain/inventory/function-config";

/**
 * Lambda list prices as data, keyed by region then architecture (FACTS.md §2). Amounts are
 * USD per unit: per request, per GB-second. These price *estimates* (the usage-based model,
 * INIT cost, what-ifs); billed amounts come from Cost Explorer as exact micro-USD.
 *
 * Only us-east-1 is listed with AWS's published figures; other regions fall back to it and
 * say so (`assumed: true`), so a view can label the figure instead of pretending.
 */

/** One band of a tiered price: `usdPerUnit` applies to month-to-date usage below `upToUnits`. */
export interface PriceTier {
  upToUnits: number;
  usdPerUnit: number;
}

export interface LambdaPrices {
  /** Per request (invocation). */
  requestUsd: number;
  /** On-demand duration per GB-s, tiered by month-to-date GB-s of the architecture, region and account. */
  durationTiers: readonly PriceTier[];
  /** Provisioned concurrency allocated, per GB-s (billed whether used or not; no tiers, no free tier). */
  provisionedConcurrencyUsdPerGbSecond: number;
  /** Duration of invocations served by provisioned concurrency, per GB-s. */
  provisionedDurationUsdPerGbSecond: number;
  /** Ephemeral storage above the free 512 MB, per GB-s. */
  ephemeralStorageUsdPerGbSecond: number;
}

const PER_MILLION = 1 / 1_000_000;

const US_EAST_1: Readonly<Record<Architecture, LambdaPrices>> = {
  x86_64: {
    requestUsd: 0.2 * PER_MILLION,
    durationTiers: [
      { upToUnits: 6e9, usdPerUnit: 0.0000166667 },
      { upToUnits: 15e9, usdPerUnit: 0.000015 },
      { upToUnits: Number.POSITIVE_INFINITY, usdPerUnit: 0.0000133334 },
    ],
    provisionedConcurrencyUsdPerGbSecond: 0.0000041667,
    provisionedDurationUsdPerGbSecond: 0.0000097222,
    ephemeralStorageUsdPerGbSecond: 0.0000000309,
  },
  arm64: {
    requestUsd: 0.2 * PER_MILLION,
    durationTiers: [
      { upToUnits: 7.5e9, usdPerUnit: 0.0000133334 },
      { upToUnits: 18.75e9, usdPerUnit: 0.0000120001 },
      { upToUnits: Number.POSITIVE_INFINITY, usdPerUnit: 0.0000106667 },
    ],
    provisionedConcurrencyUsdPerGbSecond: 0.0000033334,
    provisionedDurationUsdPerGbSecond: 0.0000077778,
    ephemeralStorageUsdPerGbSecond: 0.0000000309,
  },
};

export const LAMBDA_PRICE_BOOK: Readonly<Record<string, Readonly<Record<Architecture, LambdaPrices>>>> = {
  "us-east-1": US_EAST_1,
};

/** The region whose prices stand in for a region the book does not list. */
export const FALLBACK_PRICE_REGION = "us-east-1";

/** Free tier per month, both architectures together (FACTS.md §2). */
export const LAMBDA_FREE_TIER = { requests: 1_000_000, gbSeconds: 400_000 } as const;

/** Lambda's prices for a region and architecture; `assumed` when the region is not in the book. */
export function lambdaPricesFor(region: string, architecture: Architecture): { prices: LambdaPrices; pricedRegion: string; assumed: boolean } {
  const listed = LAMBDA_PRICE_BOOK[region];
  if (listed) return { prices: listed[architecture], pricedRegion: region, assumed: false };
  return { prices: LAMBDA_PRICE_BOOK[FALLBACK_PRICE_REGION]![architecture], pricedRegion: FALLBACK_PRICE_REGION, assumed: true };
}

/** GB-seconds of `durationMs` at `memoryMb` (GB = MB / 1024, FACTS.md §2). */
export function toGbSeconds(durationMs: number, memoryMb: number): number {
  return (durationMs / 1000) * (memoryMb / 1024);
}

/**
 * The on-demand duration price per GB-s at the first tier: what one more GB-s costs for a
 * fleet below 6 B (x86) / 7.5 B (arm64) GB-s a month — every fleet but the very largest.
 * Views that price one function's usage use it and say so; tier-exact totals are issue 8's.
 */
export function firstTierDurationUsdPerGbSecond(prices: LambdaPrices): number {
  return prices.durationTiers[0]!.usdPerUnit;
}

/** Cost (USD) of `gbSeconds` of on-demand duration when `monthToDateGbSeconds` were used before them, tier by tier. */
export function tieredDurationUsd(prices: LambdaPrices, gbSeconds: number, monthToDateGbSeconds = 0): number {
  let usd = 0;
  let from = monthToDateGbSeconds;
  let left = gbSeconds;
  for (const tier of prices.durationTiers) {
    if (left <= 0) break;
    const room = tier.upToUnits - from;
    if (room <= 0) continue;
    const inTier = Math.min(room, left);
    usd += inTier * tier.usdPerUnit;
    left -= inTier;
    from += inTier;
  }
  return usd;
}
