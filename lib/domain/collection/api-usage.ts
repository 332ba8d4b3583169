/**
 * What a collector run spent on AWS APIs: per operation the HTTP requests sent (retries
 * included) and the billable units AWS prices it by (FACTS.md §6).
 */
export interface OperationUsage {
  requests: number;
  /** Billable units of the operation (see API_PRICES); 0 for operations that are free. */
  units: number;
}

/** Keyed by `<Service>.<Operation>`, e.g. `CloudWatch.GetMetricData`. */
export type ApiUsage = Record<string, OperationUsage>;

/**
 * AWS's published prices for the read APIs the collectors call (FACTS.md §6), as data.
 * `usdPerUnit` applies to the operation's `units`; the unit says what is counted.
 */
export const API_PRICES: Readonly<Record<string, { usdPerUnit: number; unit: string }>> = {
  "CloudWatch.GetMetricData": { usdPerUnit: 0.01 / 1000, unit: "metric queries requested (each page again)" },
  "CloudWatch.GetMetricStatistics": { usdPerUnit: 0.01 / 1000, unit: "requests" },
  "CloudWatch.ListMetrics": { usdPerUnit: 0.01 / 1000, unit: "requests" },
  "CloudWatchLogs.GetQueryResults": { usdPerUnit: 0.005 / 1024 ** 3, unit: "bytes scanned by a completed Insights query" },
  "XRay.GetTraceSummaries": { usdPerUnit: 0.5 / 1_000_000, unit: "traces scanned" },
  "XRay.BatchGetTraces": { usdPerUnit: 0.5 / 1_000_000, unit: "traces retrieved" },
  "CostExplorer.GetCostAndUsage": { usdPerUnit: 0.01, unit: "requests (every page)" },
  "CostExplorer.GetCostAndUsageWithResources": { usdPerUnit: 0.01, unit: "requests (every page)" },
  "CostExplorer.GetDimensionValues": { usdPerUnit: 0.01, unit: "requests (every page)" },
  "CostExplorer.GetTags": { usdPerUnit: 0.01, unit: "requests (every page)" },
};

/** The estimated AWS bill of the usage in USD; operations without a price are free (Lambda, STS, GetServiceGraph). */
export function estimateApiCostUsd(usage: ApiUsage): number {
  let usd = 0;
  for (const [operation, { units }] of Object.entries(usage)) {
    usd += (API_PRICES[operation]?.usdPerUnit ?? 0) * units;
  }
  return usd;
}

/** Adds usage b into a (a new object; inputs untouched). */
export function addApiUsage(a: ApiUsage, b: ApiUsage): ApiUsage {
  const sum: ApiUsage = { ...a };
  for (const [operation, { requests, units }] of Object.entries(b)) {
    const prior = sum[operation] ?? { requests: 0, units: 0 };
    sum[operation] = { requests: prior.requests + requests, units: prior.units + units };
  }
  return sum;
}
