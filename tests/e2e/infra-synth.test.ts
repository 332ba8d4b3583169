import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";
import { STACK_NAMES } from "@/infra/stacks/contracts";

/**
 * `npm run infra:synth` as a newcomer runs it: the CDK CLI, no AWS credentials, no Docker
 * (CDK_DOCKER points at a program that always fails, so any Docker bundling would break the
 * run), a fresh HOME. Lives with the browser tests because it shares their console build
 * (`prepareConsoleBuild` reuses `.next` when the sources are unchanged).
 */
const CDK = join("node_modules", "aws-cdk", "bin", "cdk");

function synth(args: string[]) {
  const outdir = mkdtempSync(join(tmpdir(), "sightline-synth-"));
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: mkdtempSync(join(tmpdir(), "sightline-home-")),
    CDK_DOCKER: "/bin/false",
    CDK_DISABLE_CLI_TELEMETRY: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const result = spawnSync(process.execPath, [CDK, "synth", "--quiet", "--output", outdir, ...args], { env, encoding: "utf8", timeout: 600_000 });
  return { ...result, outdir };
}

describe("npm run infra:synth", () => {
  it("synthesizes every stack offline, bundling the collectors with local esbuild and the console from its own build", () => {
    const run = synth([]);
    expect(run.status, run.stderr).toBe(0);
    for (const name of Object.values(STACK_NAMES)) expect(existsSync(join(run.outdir, `${name}.template.json`)), name).toBe(true);

    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8")) as { artifacts: Record<string, { type: string }> };
    const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === "aws:cloudformation:stack").map(([id]) => id);
    expect(stacks.sort()).toEqual(Object.values(STACK_NAMES).sort());

    // Nothing needs a container image: every asset is a file or directory.
    for (const file of readdirSync(run.outdir).filter((f) => f.endsWith(".assets.json"))) {
      const assets = JSON.parse(readFileSync(join(run.outdir, file), "utf8")) as { dockerImages?: object };
      expect(Object.keys(assets.dockerImages ?? {}), file).toEqual([]);
    }

    // One bundled handler per collector, and the console's package with its start script.
    const assetDirs = readdirSync(run.outdir).filter((f) => f.startsWith("asset.") && !f.endsWith(".zip"));
    const handlers = assetDirs.filter((d) => existsSync(join(run.outdir, d, "index.mjs")));
    expect(handlers.length).toBe(COLLECTOR_NAMES.length);
    expect(assetDirs.some((d) => existsSync(join(run.outdir, d, "run.sh")) && existsSync(join(run.outdir, d, "start.mjs")))).toBe(true);

    // The member template is StackSet-ready: no bootstrap version parameter or rule.
    const member = JSON.parse(readFileSync(join(run.outdir, `${STACK_NAMES.member}.template.json`), "utf8")) as { Parameters?: object; Rules?: object };
    expect(Object.keys(member.Parameters ?? {})).not.toContain("BootstrapVersion");
    expect(member.Rules ?? {}).toEqual({});
  });

  it("stops on a bad setting with a message naming it, and no stack trace", () => {
    const run = synth(["-c", "SIGHTLINE_STAGE=staging"]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('SIGHTLINE_STAGE: must be prod or dev (got "staging")');
    expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});
