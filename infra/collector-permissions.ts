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
 * (Draft by the lead; the collectors helper verifies every entry against recorded calls.)
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
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
  },
  metrics: {
    aws: ["cloudwatch:GetMetricData"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  "logs-insights": {
    aws: ["logs:DescribeLogGroups", "logs:StartQuery", "logs:GetQueryResults", "logs:StopQuery"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  traces: {
    aws: ["xray:GetServiceGraph", "xray:GetTraceSummaries", "xray:BatchGetTraces"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  },
  costs: {
    aws: ["ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources"],
    dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
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

/** The read actions a member account's read-only role grants: every collector's `aws` actions. */
export function memberReadActions(): string[] {
  return [...new Set(Object.values(COLLECTOR_PERMISSIONS).flatMap((p) => p.aws))].sort();
}
