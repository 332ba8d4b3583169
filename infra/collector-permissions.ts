import type { CollectorName } from "@/lib/domain/collection/collector-run";

/**
 * Exactly what each collector calls, as IAM actions: its role gets these and nothing else
 * (infra/stacks/collectors-stack.ts), and tests/integration/collector-permissions.test.ts runs
 * every collector through the simulator and checks the calls it really made against this table.
 *
 * - `aws`: read actions on the watched account(s); also granted to the member accounts'
 *   read-only role (union over collectors) — except sts:AssumeRole, which is how the central
 *   role reaches that member role and is scoped to the configured member role ARNs.
 * - `dynamodb`: the item actions it uses on Sightline's own table.
 *
 * Verified against recorded calls (tests/integration/collector-permissions.test.ts): every
 * action here is one the collector was seen making, except the few listed there as unreached
 * in a fault-free simulation (each with the path that needs it, commented below).
 */
export interface CollectorPermissions {
  aws: readonly string[];
  dynamodb: readonly string[];
}

export const COLLECTOR_PERMISSIONS: Readonly<Record<CollectorName, CollectorPermissions>> = {
  inventory: {
    aws: [
      "lambda:ListFunctions",
      "lambda:ListTags",
      "lambda:ListAliases",
      "lambda:ListVersionsByFunction",
      "lambda:ListProvisionedConcurrencyConfigs",
      "lambda:GetFunctionConcurrency",
      "lambda:GetAccountSettings",
    ],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  metrics: {
    aws: ["cloudwatch:GetMetricData"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  "logs-insights": {
    // logs:StopQuery: sent when one query of a run fails and the others in flight are abandoned
    // (LogsInsightsReportSource.stopQuietly), so they stop scanning and billing; a fault-free
    // run never abandons one.
    aws: ["logs:DescribeLogGroups", "logs:StartQuery", "logs:GetQueryResults", "logs:StopQuery"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  traces: {
    aws: ["xray:GetServiceGraph", "xray:GetTraceSummaries", "xray:BatchGetTraces"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  costs: {
    aws: ["ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  analyze: {
    aws: [],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  slos: {
    aws: [],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
};

/**
 * Whether a collector reads watched accounts, and so assumes the member read roles
 * (sts:AssumeRole, granted on exactly the configured role ARNs). analyze and slos read only
 * the table: they never assume a role.
 */
export function assumesMemberRoles(permissions: CollectorPermissions): boolean {
  return permissions.aws.length > 0;
}

/** The read actions a member account's read-only role grants: every collector's `aws` actions. */
export function memberReadActions(): string[] {
  return [...new Set(Object.values(COLLECTOR_PERMISSIONS).flatMap((p) => p.aws))].sort();
}
