import type { StackProps } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IRole } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { DeployConfig } from "@/infra/config/deploy-config";
import { COLLECTOR_METRICS_NAMESPACE } from "@/lib/domain/collection/collector-lag";

/**
 * The contract between the stacks of the CDK app (infra/bin/sightline.ts wires them):
 *
 *   SightlineData ──table──► SightlineCollectors
 *        │                         (one function + role per collector, schedules, DLQ, alarms)
 *        └──────table──────► SightlineConsole ──console role──► SightlineApply
 *                                  (Next.js on Lambda + CloudFront)   (the write role)
 *   SightlineMemberAccount: deployed in each member account (or as a StackSet), no references.
 *
 * Cross-account and console→apply trust go by IAM path and fixed role names, not by
 * references, so no stack depends on another in a cycle and a member account can deploy its
 * template before or after the central stacks.
 */

/** IAM path of every collector role (member roles trust `role/sightline/collectors/*` of the central account). */
export const COLLECTOR_ROLE_PATH = "/sightline/collectors/";
/** IAM path of the console's execution role (apply roles trust `role/sightline/console/*`). */
export const CONSOLE_ROLE_PATH = "/sightline/console/";
/** The read-only role a member account creates for the collectors (SIGHTLINE_ACCOUNTS names it). */
export const MEMBER_READ_ROLE_NAME = "SightlineReadOnly";
/** The apply role's name in every account (the console's TUNING_APPLY_ROLE_NAME default). */
export const TUNING_APPLY_ROLE_NAME = "SightlineTuningApply";
/** CloudWatch namespace of the collectors' own metrics (Powertools EMF). */
export const METRICS_NAMESPACE = COLLECTOR_METRICS_NAMESPACE;
/** Names of the stacks (`npx cdk deploy SightlineData …`). */
export const STACK_NAMES = {
  data: "SightlineData",
  collectors: "SightlineCollectors",
  console: "SightlineConsole",
  apply: "SightlineApply",
  member: "SightlineMemberAccount",
} as const;

export interface SightlineStackProps extends StackProps {
  config: DeployConfig;
}

/** The table (and its customer-managed key when SIGHTLINE_TABLE_KEY=customer-managed). */
export interface DataStackOutputs {
  table: ITableV2;
  tableKey: IKey | undefined;
}

export interface CollectorsStackProps extends SightlineStackProps, DataStackOutputs {}

/** A built console for Lambda: Next.js standalone output and its static files. */
export interface ConsoleBuild {
  /** Directory holding the Lambda package root: server.js, node_modules, .next, run.sh, the start script. */
  serverDir: string;
  /** Directory whose contents are served from CloudFront under `/_next/static/`. */
  staticDir: string;
  /** The repository's public/ directory (served at the site root); may be empty. */
  publicDir: string;
}

export interface ConsoleStackProps extends SightlineStackProps, DataStackOutputs {
  build: ConsoleBuild;
}

export interface ConsoleStackOutputs {
  /** The console Lambda's execution role (path CONSOLE_ROLE_PATH); the apply role trusts it alone. */
  consoleRole: IRole;
}

export interface ApplyStackProps extends SightlineStackProps, ConsoleStackOutputs {}
