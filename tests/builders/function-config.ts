import type { FunctionConfig } from "@/lib/domain/inventory/function-config";

/** A function configuration with sensible defaults; override what the test is about. */
export function aFunction(overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  const functionName = overrides.functionName ?? "orders-api";
  const accountId = overrides.accountId ?? "123456789012";
  const region = overrides.region ?? "us-east-1";
  return {
    accountId,
    region,
    functionName,
    functionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    runtime: "nodejs20.x",
    architecture: "arm64",
    memoryMb: 1024,
    timeoutSeconds: 30,
    ephemeralStorageMb: 512,
    packageType: "Zip",
    lastModified: "2026-11-01T00:00:00.000+0000",
    revisionId: "rev-1",
    snapStart: "None",
    layers: [],
    tracingMode: "Active",
    tags: { team: "commerce", service: "orders", env: "prod" },
    reservedConcurrency: null,
    provisionedConcurrency: [],
    aliases: [],
    versions: [],
    collectedAtMs: Date.UTC(2026, 10, 26, 12),
    detailsCollectedAtMs: Date.UTC(2026, 10, 26, 12),
    ...overrides,
  };
}
