import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createSightlineApp, type SightlineApp } from "@/infra/app";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import type { ConsoleBuild } from "@/infra/stacks/contracts";

/**
 * The deploy settings the whole-app tests (app.test.ts, nag.test.ts) synthesize: the defaults,
 * a multi-account dev deployment with a CMK and an external OIDC provider, and a custom domain
 * with an external id.
 */
export const DEPLOY_CONFIGURATIONS: Record<string, Record<string, string>> = {
  "defaults (one account, Cognito, AWS-owned key)": {},
  "members, CMK, external OIDC, ARN-scoped apply, dev": {
    SIGHTLINE_STAGE: "dev",
    SIGHTLINE_TABLE_KEY: "customer-managed",
    SIGHTLINE_ACCOUNTS: "111122223333,444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly",
    SIGHTLINE_REGIONS: "us-east-1,eu-west-1",
    SIGHTLINE_APPLY_SCOPE: "arn:aws:lambda:*:444455556666:function:orders-*",
    SIGHTLINE_ALARM_EMAIL: "oncall@example.com",
    OIDC_ISSUER: "https://login.example.com/realms/ops",
    OIDC_CLIENT_ID: "sightline-console",
    OIDC_ROLES_CLAIM: "groups",
  },
  "custom domain and certificate, Cognito, tag-scoped apply over two regions, external id": {
    SIGHTLINE_CONSOLE_DOMAIN: "sightline.example.com",
    SIGHTLINE_CONSOLE_CERTIFICATE_ARN: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
    SIGHTLINE_REGIONS: "eu-west-1,eu-central-1",
    SIGHTLINE_REGION: "eu-west-1",
    SIGHTLINE_APPLY_SCOPE: "tag:team:tuning=on",
    SIGHTLINE_ACCOUNTS: "444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly",
    SIGHTLINE_EXTERNAL_ID: "sightline-test-external-id",
  },
};

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
