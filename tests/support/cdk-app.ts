import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createSightlineApp, type SightlineApp } from "@/infra/app";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import type { ConsoleBuild } from "@/infra/stacks/contracts";

/** A console build stand-in with the layout prepareConsoleBuild produces (a Lambda package and static files). */
export function fixtureConsoleBuild(): ConsoleBuild {
  const root = mkdtempSync(join(tmpdir(), "sightline-console-build-"));
  const serverDir = join(root, "server");
  const staticDir = join(root, "static");
  const publicDir = join(root, "public");
  for (const dir of [serverDir, staticDir, publicDir]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(serverDir, "run.sh"), "#!/bin/sh\nexec node start.mjs\n");
  writeFileSync(join(serverDir, "server.js"), "// fixture\n");
  writeFileSync(join(staticDir, "app.js"), "// fixture\n");
  return { serverDir, staticDir, publicDir };
}

/**
 * The whole app synthesized offline from deploy settings (as `-c NAME=value` would give them),
 * without bundling, into a temp directory.
 */
export function synthesizeApp(settings: Record<string, string> = {}): SightlineApp & { templates: Record<string, Template> } {
  const config = loadDeployConfig(() => undefined, settings);
  const built = createSightlineApp({
    config,
    consoleBuild: fixtureConsoleBuild(),
    outdir: mkdtempSync(join(tmpdir(), "sightline-cdk-out-")),
    bundlingStacks: [],
  });
  const stacks = [built.data, built.collectors, built.console, built.apply, built.member];
  return { ...built, templates: Object.fromEntries(stacks.map((s) => [s.stackName, Template.fromStack(s)])) };
}

export interface PolicyStatementJson {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** Every permission statement of a template: inline role policies, AWS::IAM::Policy and managed policies (not trust policies). */
export function permissionStatements(template: Template): { resource: string; statement: PolicyStatementJson }[] {
  const out: { resource: string; statement: PolicyStatementJson }[] = [];
  const resources = (template.toJSON().Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  for (const [id, r] of Object.entries(resources)) {
    const docs: unknown[] = [];
    if (r.Type === "AWS::IAM::Policy" || r.Type === "AWS::IAM::ManagedPolicy") docs.push(r.Properties?.PolicyDocument);
    if (r.Type === "AWS::IAM::Role") {
      for (const p of (r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) docs.push(p.PolicyDocument);
    }
    for (const doc of docs) {
      for (const statement of ((doc as { Statement?: PolicyStatementJson[] })?.Statement ?? [])) out.push({ resource: id, statement });
    }
  }
  return out;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  const a = statement.Action ?? [];
  return Array.isArray(a) ? a : [a];
}
