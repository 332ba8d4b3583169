import type { FunctionRef } from "@/lib/domain/shared/ids";

export type Architecture = "x86_64" | "arm64";

/** Provisioned concurrency configured on one alias or version of a function. */
export interface ProvisionedConcurrencyConfig {
  qualifier: string;
  requested: number;
  allocated: number;
  available: number;
  status: string;
}

/** An alias and the published version it points to. */
export interface FunctionAlias {
  name: string;
  functionVersion: string;
}

/** A published version (never $LATEST) with the configuration it was published with. */
export interface FunctionVersion {
  version: string;
  memoryMb: number;
  architecture: Architecture;
  runtime: string | null;
  lastModified: string;
}

/**
 * What the inventory collector knows about one function: its configuration as Lambda
 * reports it, the tags on it, its versions and aliases, and the concurrency settings around it.
 */
export interface FunctionConfig extends FunctionRef {
  functionArn: string;
  runtime: string | null;
  architecture: Architecture;
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
  packageType: "Zip" | "Image";
  lastModified: string;
  /** Lambda's revision of $LATEST; a change means the configuration or code changed. */
  revisionId: string;
  /** SnapStart: `PublishedVersions` when enabled. */
  snapStart: "PublishedVersions" | "None";
  /** Layer ARNs (an arm64 move needs each to support arm64). */
  layers: string[];
  /** X-Ray tracing mode (`Active` traces every sampled request). */
  tracingMode: "Active" | "PassThrough";
  tags: Record<string, string>;
  /** null when the function has no reserved concurrency (it draws on the unreserved pool). */
  reservedConcurrency: number | null;
  provisionedConcurrency: ProvisionedConcurrencyConfig[];
  aliases: FunctionAlias[];
  versions: FunctionVersion[];
  /** When the collector last saw this function (epoch ms). */
  collectedAtMs: number;
  /** When tags, concurrency, aliases and versions were last read (they are re-read on change or hourly). */
  detailsCollectedAtMs: number;
}

/** The part of a function's configuration that ListFunctions returns. */
export type FunctionSummary = Omit<
  FunctionConfig,
  "tags" | "reservedConcurrency" | "provisionedConcurrency" | "aliases" | "versions" | "collectedAtMs" | "detailsCollectedAtMs"
>;

/** What per-function calls add to a summary. */
export type FunctionDetails = Pick<FunctionConfig, "tags" | "reservedConcurrency" | "provisionedConcurrency" | "aliases" | "versions">;

/** The account's concurrency settings in one region (GetAccountSettings). */
export interface AccountConcurrency {
  accountId: string;
  region: string;
  /** The regional concurrent-executions quota (default 1,000). */
  concurrentExecutionsLimit: number;
  /** What reserved concurrency leaves for everyone else (at least 100 must stay). */
  unreservedConcurrentExecutions: number;
  functionCount: number;
  collectedAtMs: number;
}

/** How long tags, concurrency, aliases and versions of an unchanged function are reused. */
export const DETAIL_REFRESH_MS = 60 * 60_000;

/**
 * Whether a function's details must be read again: it is new, its revision changed (a
 * deploy or configuration change), or its details are older than DETAIL_REFRESH_MS (tags and
 * concurrency change without a new revision).
 */
export function needsDetails(summary: FunctionSummary, stored: FunctionConfig | undefined, nowMs: number): boolean {
  if (stored === undefined) return true;
  if (stored.revisionId !== summary.revisionId) return true;
  return nowMs - stored.detailsCollectedAtMs >= DETAIL_REFRESH_MS;
}
