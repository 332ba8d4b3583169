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

/**
 * What the inventory collector knows about one function: its configuration as Lambda
 * reports it, the tags on it, and the concurrency settings around it.
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
  tags: Record<string, string>;
  /** null when the function has no reserved concurrency (it draws on the unreserved pool). */
  reservedConcurrency: number | null;
  provisionedConcurrency: ProvisionedConcurrencyConfig[];
  /** When the collector last saw this function (epoch ms). */
  collectedAtMs: number;
}
