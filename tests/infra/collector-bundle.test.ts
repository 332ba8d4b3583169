import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AttributeType, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { CollectorsStack } from "@/infra/stacks/collectors-stack";
import { STACK_NAMES } from "@/infra/stacks/contracts";
import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";
import { startCollectorStack } from "@/tests/support/collector-stack";

/**
 * The collectors as Lambda will run them: the Collectors stack synthesized with bundling (real
 * local esbuild, no Docker), each asset checked for its handler and for what must stay out of
 * a collector (the local database, the console), then the bundled inventory collector run in a
 * plain `node` process against the simulator and dynalite, invoked the way Scheduler invokes it.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const FORBIDDEN_PACKAGES = ["dynalite", "level", "classic-level", "next", "react", "react-dom"];

const outdir = mkdtempSync(join(tmpdir(), "sightline-collector-bundle-"));
let assets: Map<CollectorName, string>;

beforeAll(() => {
  const config = loadDeployConfig(() => undefined, { SIGHTLINE_REGION: "us-east-1" });
  const app = new App({ outdir, context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [STACK_NAMES.collectors] } });
  const env = { region: config.SIGHTLINE_REGION };
  const data = new Stack(app, STACK_NAMES.data, { env });
  const table = new TableV2(data, "Table", { partitionKey: { name: "pk", type: AttributeType.STRING }, sortKey: { name: "sk", type: AttributeType.STRING } });
  const stack = new CollectorsStack(app, STACK_NAMES.collectors, { env, config, table, tableKey: undefined });
  app.synth();
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  assets = new Map();
  for (const fn of Object.values(resources).filter((r) => r.Type === "AWS::Lambda::Function")) {
    const name = String(fn.Properties.FunctionName).replace("sightline-prod-", "") as CollectorName;
    const hash = String((fn.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, "");
    assets.set(name, join(outdir, `asset.${hash}`));
  }
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

/** The packages a bundle was built from, read from its source map's `sources`. */
function bundledPackages(assetDir: string): Set<string> {
  const map = JSON.parse(readFileSync(join(assetDir, "index.mjs.map"), "utf8")) as { sources: string[] };
  const packages = new Set<string>();
  for (const source of map.sources) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source.slice(source.lastIndexOf("node_modules/")));
    if (match) packages.add(match[1]!);
  }
  return packages;
}

describe("the bundled collectors", () => {
  it("bundles every collector into an ESM index.mjs exporting `handler`, with a source map", () => {
    expect([...assets.keys()].sort()).toEqual([...COLLECTOR_NAMES].sort());
    for (const [name, dir] of assets) {
      expect(existsSync(join(dir, "index.mjs")), name).toBe(true);
      expect(existsSync(join(dir, "index.mjs.map")), name).toBe(true);
      const code = readFileSync(join(dir, "index.mjs"), "utf8");
      expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{[^}]*\bhandler\b/);
    }
  });

  it("carries the pinned AWS SDK and Powertools, and none of dynalite, level, Next.js or React", () => {
    for (const [name, dir] of assets) {
      const packages = bundledPackages(dir);
      expect(packages.has("@aws-sdk/lib-dynamodb"), name).toBe(true);
      expect(packages.has("@aws-lambda-powertools/metrics"), name).toBe(true);
      expect(FORBIDDEN_PACKAGES.filter((p) => packages.has(p)), name).toEqual([]);
    }
    expect(bundledPackages(assets.get("inventory")!).has("@aws-sdk/client-lambda")).toBe(true);
    expect(bundledPackages(assets.get("costs")!).has("@aws-sdk/client-secrets-manager")).toBe(true);
  });

  it("runs: the bundled inventory handler, invoked with a scheduled time, stores the simulated fleet and prints its metrics", async () => {
    const stack = await startCollectorStack({ now: () => NOW });
    try {
      const runtime = await stack.runtimeFor();
      const runner = join(outdir, "invoke.mjs");
      writeFileSync(
        runner,
        `const { handler } = await import(${JSON.stringify(pathToFileURL(join(assets.get("inventory")!, "index.mjs")).href)});\n` +
          `const runs = await handler({ time: ${JSON.stringify(new Date(NOW).toISOString())} });\n` +
          `console.log("RUNS " + JSON.stringify(runs));\n`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, [runner], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: "production",
          ...stack.env(runtime.tableName),
          AWS_ENDPOINT_URL_DYNAMODB: stack.db.url,
          AWS_ACCESS_KEY_ID: "sightline-local",
          AWS_SECRET_ACCESS_KEY: "sightline-local",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          NODE_OPTIONS: "--enable-source-maps",
        },
        timeout: 120_000,
      });
      const runs = JSON.parse(stdout.split("\n").find((l) => l.startsWith("RUNS "))!.slice(5)) as { outcome: string; accountId: string }[];
      expect(runs).toEqual([expect.objectContaining({ outcome: "collected", accountId: stack.scenario.account.id })]);
      const stored = await runtime.functions.listFunctions();
      expect(stored.map((f) => f.functionName).sort()).toEqual(stack.scenario.functions.map((f) => f.name).sort());
      const emf = stdout.split("\n").filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
      // LagMinutes is measured against the wall clock, which this fixed scheduled time trails.
      expect(emf).toEqual([expect.objectContaining({ Collector: "inventory", RunsSucceeded: 1, RunsFailed: 0, LagMinutes: expect.any(Number) })]);
      expect(emf[0]!.ItemsWritten).toBe(stack.scenario.functions.length + 1);
    } finally {
      await stack.close();
    }
  });
});
