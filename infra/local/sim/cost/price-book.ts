import type { Architecture, UsageKind } from "./usage-types";

/**
 * List prices the simulated bill is priced from, as data keyed by region (FACTS.md §2 for
 * Lambda; AWS's public price pages for the other services). Every price is per unit of the
 * usage type's UsageQuantity: per request, per GB-second, per GB, per event, per trace.
 *
 * No free tier is applied: the simulated account belongs to an organisation under
 * consolidated billing, where the Lambda free tier (1 M requests, 400,000 GB-s a month) is
 * shared by the whole organisation and usually spent elsewhere — charging from the first
 * request is the simplest honest choice and keeps "usage × price" exact.
 */

/** One band of a tiered price: `usdPerUnit` applies to cumulative usage below `upToUnits`. */
export interface PriceTier {
  upToUnits: number;
  usdPerUnit: number;
}

export interface LambdaArchitecturePrices {
  requestUsd: number;
  /** On-demand duration, tiered by month-to-date GB-s of the architecture in the region. */
  durationTiers: readonly PriceTier[];
  provisionedConcurrencyUsdPerGbSecond: number;
  provisionedDurationUsdPerGbSecond: number;
}

export interface RegionPrices {
  lambda: Readonly<Record<Architecture, LambdaArchitecturePrices>>;
  apiGatewayRestRequestUsd: number;
  dynamodbReadRequestUnitUsd: number;
  dynamodbWriteRequestUnitUsd: number;
  eventBridgeCustomEventUsd: number;
  sqsRequestUsd: number;
  snsPublishUsd: number;
  logsIngestionUsdPerGb: number;
  xrayTraceRecordedUsd: number;
}

const PER_MILLION = 1 / 1_000_000;

/** us-east-1 list prices; the other US regions named below charge the same for these services. */
const US_PRICES: RegionPrices = {
  lambda: {
    x86_64: {
      requestUsd: 0.2 * PER_MILLION, // $0.20 per million requests
      durationTiers: [
        { upToUnits: 6e9, usdPerUnit: 0.0000166667 }, // first 6 B GB-s / month
        { upToUnits: 15e9, usdPerUnit: 0.000015 }, // next 9 B GB-s
        { upToUnits: Number.POSITIVE_INFINITY, usdPerUnit: 0.0000133334 }, // beyond 15 B GB-s
      ],
      provisionedConcurrencyUsdPerGbSecond: 0.0000041667,
      provisionedDurationUsdPerGbSecond: 0.0000097222,
    },
    arm64: {
      requestUsd: 0.2 * PER_MILLION,
      durationTiers: [
        { upToUnits: 7.5e9, usdPerUnit: 0.0000133334 }, // first 7.5 B GB-s / month
        { upToUnits: 18.75e9, usdPerUnit: 0.0000120001 }, // next 11.25 B GB-s
        { upToUnits: Number.POSITIVE_INFINITY, usdPerUnit: 0.0000106667 }, // beyond 18.75 B GB-s
      ],
      provisionedConcurrencyUsdPerGbSecond: 0.0000033334,
      provisionedDurationUsdPerGbSecond: 0.0000077778,
    },
  },
  apiGatewayRestRequestUsd: 3.5 * PER_MILLION, // REST API, first 333 M requests / month
  dynamodbReadRequestUnitUsd: 0.125 * PER_MILLION, // on-demand read request units
  dynamodbWriteRequestUnitUsd: 0.625 * PER_MILLION, // on-demand write request units
  eventBridgeCustomEventUsd: 1.0 * PER_MILLION, // custom events published
  sqsRequestUsd: 0.4 * PER_MILLION, // standard queue requests
  snsPublishUsd: 0.5 * PER_MILLION, // API requests (publishes)
  logsIngestionUsdPerGb: 0.5, // CloudWatch Logs standard ingestion
  xrayTraceRecordedUsd: 5.0 * PER_MILLION, // traces recorded
};

/** The price book: region → prices. */
export const PRICE_BOOK: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": US_PRICES,
  "us-east-2": US_PRICES,
  "us-west-2": US_PRICES,
};

/**
 * Prices of `region`. A region missing from the book is priced like us-east-1 rather than
 * failing the whole bill: the simulator's point is consistent numbers, and the book can grow.
 */
export function pricesFor(region: string): RegionPrices {
  return PRICE_BOOK[region] ?? US_PRICES;
}

/**
 * Unit price (USD per unit of UsageQuantity) of a kind of usage that is not tiered. On-demand
 * Lambda duration is tiered: price it with `tieredCostUsd`.
 */
export function unitPriceUsd(prices: RegionPrices, kind: Exclude<UsageKind, "lambda-duration">, architecture: Architecture): number {
  const lambda = prices.lambda[architecture];
  switch (kind) {
    case "lambda-request":
      return lambda.requestUsd;
    case "lambda-provisioned-concurrency":
      return lambda.provisionedConcurrencyUsdPerGbSecond;
    case "lambda-provisioned-duration":
      return lambda.provisionedDurationUsdPerGbSecond;
    case "apigateway-request":
      return prices.apiGatewayRestRequestUsd;
    case "dynamodb-read":
      return prices.dynamodbReadRequestUnitUsd;
    case "dynamodb-write":
      return prices.dynamodbWriteRequestUnitUsd;
    case "eventbridge-event":
      return prices.eventBridgeCustomEventUsd;
    case "sqs-request":
      return prices.sqsRequestUsd;
    case "sns-request":
      return prices.snsPublishUsd;
    case "logs-ingestion":
      return prices.logsIngestionUsdPerGb;
    case "xray-trace":
      return prices.xrayTraceRecordedUsd;
  }
}

/**
 * Cost of the usage between cumulative amounts `fromUnits` and `toUnits` (month-to-date) under
 * tiered prices: each part is charged at the price of the band it falls in.
 */
export function tieredCostUsd(tiers: readonly PriceTier[], fromUnits: number, toUnits: number): number {
  let cost = 0;
  let bandStart = 0;
  for (const tier of tiers) {
    const low = Math.max(fromUnits, bandStart);
    const high = Math.min(toUnits, tier.upToUnits);
    if (high > low) cost += (high - low) * tier.usdPerUnit;
    bandStart = tier.upToUnits;
    if (bandStart >= toUnits) break;
  }
  return cost;
}
