import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { describe, expect, it } from "vitest";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { qualifiedArnPatterns, TUNING_APPLY_ACTIONS } from "@/infra/constructs/apply-policy";
import { ApplyStack } from "@/infra/stacks/apply-stack";
import { CONSOLE_ROLE_PATH, STACK_NAMES, TUNING_APPLY_ROLE_NAME } from "@/infra/stacks/contracts";
import { actionsOf, permissionStatements, type PolicyStatementJson } from "@/tests/support/cdk-app";

type Resource = { Type: string; Properties: Record<string, unknown> };

/**
 * The Apply stack next to a stand-in Console stack holding only the console's execution role
 * (the real one is built by the console stack's own tests), so this test reads the trust the
 * Apply stack itself writes.
 */
function synthesizeApply(settings: Record<string, string>) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "sightline-apply-")),
    context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [] },
  });
  const config = loadDeployConfig(() => undefined, { SIGHTLINE_REGION: "eu-west-1", ...settings });
  const env = { region: config.SIGHTLINE_REGION };
  const consoleStack = new Stack(app, STACK_NAMES.console, { env });
  const consoleRole = new Role(consoleStack, "ConsoleRole", { path: CONSOLE_ROLE_PATH, assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
  const apply = new ApplyStack(app, STACK_NAMES.apply, { env, config, consoleRole });
  const template = Template.fromStack(apply);
  const roles = Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === "AWS::IAM::Role");
  expect(roles).toHaveLength(1);
  return { consoleTemplate: Template.fromStack(consoleStack), template, role: roles[0]![1] };
}

/** The stack's single permission statement (the apply role's). */
function onlyStatement(template: Template): { statement: PolicyStatementJson } {
  const statements = permissionStatements(template);
  expect(statements).toHaveLength(1);
  return statements[0]!;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

describe("the tuning apply role", () => {
  const { template, consoleTemplate, role } = synthesizeApply({});

  it("is named TUNING_APPLY_ROLE_NAME, the name the console assumes in every account", () => {
    expect(role.Properties.RoleName).toBe(TUNING_APPLY_ROLE_NAME);
  });

  it("is trusted by the console's execution role alone: one statement, one principal, no account root", () => {
    const trust = role.Properties.AssumeRolePolicyDocument as { Statement: PolicyStatementJson[] };
    expect(trust.Statement).toHaveLength(1);
    const statement = trust.Statement[0]!;
    expect(statement).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRole" });
    const principal = statement.Principal as Record<string, unknown>;
    expect(Object.keys(principal)).toEqual(["AWS"]);
    // The import resolves to the console stack's export of the console role's ARN.
    const imported = (principal.AWS as { "Fn::ImportValue"?: string })["Fn::ImportValue"];
    expect(imported).toBeTypeOf("string");
    const exports = Object.values(consoleTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>);
    const exported = exports.find((o) => o.Export.Name === imported);
    const consoleRoleId = Object.entries(consoleTemplate.toJSON().Resources as Record<string, Resource>).find(([, r]) => r.Type === "AWS::IAM::Role")![0];
    expect(exported?.Value).toEqual({ "Fn::GetAtt": [consoleRoleId, "Arn"] });
    expect(JSON.stringify(trust)).not.toMatch(/:root/);
  });

  it("keeps sessions to one hour", () => {
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  it("allows exactly the apply path's Lambda calls, no wildcard action, nothing else in the stack", () => {
    const statements = permissionStatements(template);
    const actions = statements.flatMap(({ statement }) => actionsOf(statement));
    expect(sorted(actions)).toEqual(sorted(TUNING_APPLY_ACTIONS));
    for (const action of actions) expect(action).not.toMatch(/\*/);
    expect(statements.every(({ statement }) => statement.Effect === "Allow")).toBe(true);
  });

  it("the actions are those lambda-tuner.ts sends (its SDK commands, by name)", () => {
    const source = readFileSync(join(process.cwd(), "lib/adapters/aws/lambda-tuner.ts"), "utf8");
    const commands = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => `lambda:${m[1]}`))];
    expect(sorted(commands)).toEqual(sorted(TUNING_APPLY_ACTIONS));
  });
});

describe("the apply scope", () => {
  it("tag scope (the default): every function of the account in the collectors' regions, on condition of the tag", () => {
    const { template } = synthesizeApply({ SIGHTLINE_REGIONS: "us-east-1,eu-west-1" });
    const { statement } = onlyStatement(template);
    expect(statement.Condition).toEqual({ StringEquals: { "aws:ResourceTag/sightline:tuning": "enabled" } });
    const resources = (statement.Resource as unknown[]).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(2);
    expect(resources[0]).toContain(":lambda:eu-west-1:");
    expect(resources[1]).toContain(":lambda:us-east-1:");
    for (const r of resources) expect(r).toMatch(/:function:\*"\]\]\}$/);
  });

  it("tag scope with a custom tag: the condition names that key and value", () => {
    const { template } = synthesizeApply({ SIGHTLINE_APPLY_SCOPE: "tag:team/tuning=allowed" });
    const { statement } = onlyStatement(template);
    expect(statement.Condition).toEqual({ StringEquals: { "aws:ResourceTag/team/tuning": "allowed" } });
  });

  it("ARN scope: the patterns and their qualified forms, no tag condition", () => {
    const patterns = "arn:aws:lambda:eu-west-1:111122223333:function:orders-*,arn:aws:lambda:eu-west-1:111122223333:function:checkout:live";
    const { template } = synthesizeApply({ SIGHTLINE_APPLY_SCOPE: patterns });
    const { statement } = onlyStatement(template);
    expect(statement.Condition).toBeUndefined();
    expect(sorted(statement.Resource as string[])).toEqual([
      "arn:aws:lambda:eu-west-1:111122223333:function:checkout:live",
      "arn:aws:lambda:eu-west-1:111122223333:function:orders-*",
      "arn:aws:lambda:eu-west-1:111122223333:function:orders-*:*",
    ]);
  });
});

describe("qualifiedArnPatterns", () => {
  it("adds `:*` to unqualified patterns only and drops duplicates", () => {
    expect(
      qualifiedArnPatterns([
        "arn:aws:lambda:*:111122223333:function:a",
        "arn:aws:lambda:*:111122223333:function:a",
        "arn:aws:lambda:*:111122223333:function:b:prod",
      ]),
    ).toEqual(["arn:aws:lambda:*:111122223333:function:a", "arn:aws:lambda:*:111122223333:function:a:*", "arn:aws:lambda:*:111122223333:function:b:prod"]);
  });
});
