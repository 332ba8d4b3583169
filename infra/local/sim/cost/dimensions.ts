import type { LineIdentity } from "./cost-ledger";

/**
 * Cost Explorer dimensions as the simulated bill answers them. Every line is on-demand usage
 * of one linked account, so several dimensions have one constant value; those that have no
 * meaning for serverless usage (AZ, PLATFORM, TENANCY, ...) are the empty string.
 */

/** Dimension names the SDK knows (the `Dimension` enum of @aws-sdk/client-cost-explorer). */
export const DIMENSION_KEYS = [
  "AGREEMENT_END_DATE_TIME_AFTER", "AGREEMENT_END_DATE_TIME_BEFORE", "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
  "ANOMALY_TOTAL_IMPACT_PERCENTAGE", "AZ", "BILLING_ENTITY", "CACHE_ENGINE", "DATABASE_ENGINE", "DEPLOYMENT_OPTION",
  "INSTANCE_TYPE", "INSTANCE_TYPE_FAMILY", "INVOICING_ENTITY", "LEGAL_ENTITY_NAME", "LINKED_ACCOUNT",
  "LINKED_ACCOUNT_NAME", "OPERATING_SYSTEM", "OPERATION", "PAYER_ACCOUNT", "PAYMENT_OPTION", "PLATFORM",
  "PURCHASE_TYPE", "RECORD_TYPE", "REGION", "RESERVATION_ID", "RESOURCE_ID", "RIGHTSIZING_TYPE",
  "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "SCOPE", "SERVICE", "SERVICE_CODE", "SUBSCRIPTION_ID", "TENANCY",
  "USAGE_TYPE", "USAGE_TYPE_GROUP",
] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

/**
 * Dimensions GetCostAndUsage may group by, in the order the service lists them in its own
 * "Group Definition dimension is invalid" message. RESOURCE_ID only in
 * GetCostAndUsageWithResources.
 */
export const GROUP_BY_DIMENSIONS: readonly DimensionKey[] = [
  "AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "OPERATION", "PURCHASE_TYPE", "SERVICE", "USAGE_TYPE", "PLATFORM",
  "TENANCY", "RECORD_TYPE", "LEGAL_ENTITY_NAME", "INVOICING_ENTITY", "DEPLOYMENT_OPTION", "DATABASE_ENGINE",
  "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "REGION",
];

const SELLER = "Amazon Web Services, Inc.";

/** The value of `key` for a billing line. */
export function dimensionValue(line: LineIdentity, key: DimensionKey, accountId: string): string {
  switch (key) {
    case "SERVICE":
      return line.spec.service;
    case "USAGE_TYPE":
      return line.usageType;
    case "OPERATION":
      return line.spec.operation;
    case "REGION":
      return line.fn.region;
    case "LINKED_ACCOUNT":
    case "PAYER_ACCOUNT":
      return accountId;
    case "RECORD_TYPE":
      return "Usage";
    case "RESOURCE_ID":
      return line.resourceId;
    case "INSTANCE_TYPE":
      return "NoInstanceType";
    case "PURCHASE_TYPE":
      return "On Demand Instances";
    case "LEGAL_ENTITY_NAME":
    case "INVOICING_ENTITY":
      return SELLER;
    case "BILLING_ENTITY":
      return "AWS";
    default:
      return "";
  }
}

/** Tags a line carries: its function's, except on usage AWS bills at account level. */
export function lineTags(line: LineIdentity): Readonly<Record<string, string>> {
  // X-Ray bills traces recorded per account; no resource tag reaches those lines, so they
  // sit in every tag key's untagged group (a shared cost for allocation to split).
  if (line.spec.service === "AWS X-Ray") return {};
  return line.fn.tags ?? {};
}

/** Tag value of a line; undefined when it does not carry the tag. */
export function tagValue(line: LineIdentity, key: string): string | undefined {
  return lineTags(line)[key];
}
