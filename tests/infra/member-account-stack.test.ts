import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { memberReadActions } from "@/infra/collector-permissions";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { TUNING_APPLY_ACTIONS } from "@/infra/constructs/apply-policy";
import { MemberAccountStack } from "@/infra/stacks/member-account-stack";
import { MEMBER_READ_ROLE_NAME, STACK_NAMES, TUNING_APPLY_ROLE_NAME } from "@/infra/stacks/contracts";
import { actionsOf, permissionStatements, type PolicyStatementJson } from "@/tests/support/cdk-app";
import { optionalExternalId } from "@/lib/config/external-id";

type Json = Record<string, unknown>;
interface CfnTemplate {
  Parameters?: Record<string, Json>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Json }>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
  Rules?: unknown;
}

/** The member template synthesized into a cloud assembly, as `cdk synth` writes it to cdk.out. */
function synthesizeMember(settings: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), "sightline-member-"));
  const app = new App({ outdir, context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [] } });
  const config = loadDeployConfig(() => undefined, { SIGHTLINE_REGION: "eu-west-1", ...settings });
  // The app passes no env; passing one here proves the template ignores it.
  const stack = new MemberAccountStack(app, STACK_NAMES.member, { env: { account: "999988887777", region: "eu-west-1" }, config });
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  return { stack, assembly, outdir, template, json: template.toJSON() as CfnTemplate };
}

const CENTRAL = "111122223333";
const MEMBER = "444455556666";

/**
 * Evaluates the template as CloudFormation would for given parameter values (the intrinsics the
 * template uses: Ref, Fn::Join, Fn::Equals, Fn::Not, Fn::If, Condition), so the tests read the
 * roles a member account really gets, not the shape of the JSON.
 */
function deploy(json: CfnTemplate, parameters: Record<string, string>) {
  const values: Record<string, string> = { "AWS::Partition": "aws", "AWS::AccountId": MEMBER, "AWS::Region": "eu-west-1" };
  for (const [name, p] of Object.entries(json.Parameters ?? {})) values[name] = parameters[name] ?? (p.Default as string);
  const condition = (name: string): boolean => Boolean(resolve(json.Conditions![name]));
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== "object") return v;
    const o = v as Json;
    if ("Ref" in o) {
      const ref = o.Ref as string;
      if (ref in values) return values[ref];
      return `<${ref}>`;
    }
    if ("Fn::GetAtt" in o) return `<${(o["Fn::GetAtt"] as string[]).join(".")}>`;
    if ("Fn::Join" in o) {
      const [sep, parts] = o["Fn::Join"] as [string, unknown[]];
      return (resolve(parts) as unknown[]).join(sep);
    }
    if ("Fn::Equals" in o) {
      const [a, b] = resolve(o["Fn::Equals"]) as unknown[];
      return a === b;
    }
    if ("Fn::Not" in o) return !(resolve(o["Fn::Not"]) as unknown[])[0];
    if ("Condition" in o && Object.keys(o).length === 1) return condition(o.Condition as string);
    if ("Fn::If" in o) {
      const [name, yes, no] = o["Fn::If"] as [string, unknown, unknown];
      return resolve(condition(name) ? yes : no);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  const roles: Record<string, { trust: PolicyStatementJson[]; statements: PolicyStatementJson[]; props: Json }> = {};
  for (const r of Object.values(json.Resources)) {
    if (r.Type !== "AWS::IAM::Role" || (r.Condition !== undefined && !condition(r.Condition))) continue;
    const props = resolve(r.Properties) as Json;
    const policies = (props.Policies as { PolicyDocument: { Statement: PolicyStatementJson[] } }[] | undefined) ?? [];
    roles[props.RoleName as string] = {
      props,
      trust: (props.AssumeRolePolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
      statements: policies.flatMap((p) => p.PolicyDocument.Statement),
    };
  }
  const outputs = Object.fromEntries(
    Object.entries(json.Outputs ?? {})
      .filter(([, o]) => o.Condition === undefined || condition(o.Condition))
      .map(([k, o]) => [k, resolve(o.Value)]),
  );
  return { roles, outputs };
}

describe("the member-account template as a StackSet template", () => {
  const { stack, assembly, outdir, json } = synthesizeMember();

  it("needs no bootstrap: no BootstrapVersion parameter, no rules, no assets", () => {
    expect(Object.keys(json.Parameters ?? {})).not.toContain("BootstrapVersion");
    expect(json.Rules).toBeUndefined();
    const artifact = assembly.getStackByName(STACK_NAMES.member);
    expect(artifact.assets).toEqual([]);
    expect(artifact.dependencies.map((d) => d.id)).toEqual([]);
    expect(artifact.assumeRoleArn).toBeUndefined();
  });

  it("is environment-agnostic: no account or region written in, whatever env was passed", () => {
    expect(stack.environment).toBe("aws://unknown-account/unknown-region");
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toContain("eu-west-1");
    expect(Object.values(json.Resources).map((r) => r.Type)).not.toContain("AWS::CDK::Metadata");
  });

  it("is written to cdk.out as SightlineMemberAccount.template.json, the file a StackSet takes", () => {
    const file = join(outdir, `${STACK_NAMES.member}.template.json`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(json);
  });

  it("takes parameters, not context: central account, external id, apply role switch, apply tag value", () => {
    expect(Object.keys(json.Parameters ?? {}).sort()).toEqual(["ApplyTagValue", "CentralAccountId", "CreateApplyRole", "ExternalId"]);
    expect(json.Parameters!.CreateApplyRole).toMatchObject({ Default: "false", AllowedValues: ["true", "false"] });
    expect(json.Parameters!.ExternalId).toMatchObject({ Default: "" });
    expect(new RegExp(json.Parameters!.CentralAccountId!.AllowedPattern as string).test(CENTRAL)).toBe(true);
    expect(new RegExp(json.Parameters!.CentralAccountId!.AllowedPattern as string).test("12345")).toBe(false);
  });

  it("grants no wildcard action in any statement", () => {
    const actions = permissionStatements(Template.fromJSON(json as unknown as Json)).flatMap(({ statement }) => actionsOf(statement));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toMatch(/\*/);
  });
});

describe("the read-only role", () => {
  const { json } = synthesizeMember();
  const { roles, outputs } = deploy(json, { CentralAccountId: CENTRAL });
  const read = roles[MEMBER_READ_ROLE_NAME]!;

  it("allows exactly memberReadActions(), the union of the collectors' read actions", () => {
    expect(read).toBeDefined();
    expect(read.statements.flatMap(actionsOf).sort()).toEqual(memberReadActions());
    expect(read.statements.every((s) => s.Effect === "Allow" && s.Condition === undefined)).toBe(true);
  });

  it("scopes what IAM can scope: Lambda reads to the account's functions, Logs Insights to Lambda's log groups", () => {
    const resourcesOf = (action: string) => read.statements.filter((s) => actionsOf(s).includes(action)).flatMap((s) => s.Resource as string[]);
    expect(resourcesOf("lambda:ListTags")).toEqual([`arn:aws:lambda:*:${MEMBER}:function:*`]);
    expect(resourcesOf("lambda:GetFunctionConcurrency")).toEqual([`arn:aws:lambda:*:${MEMBER}:function:*`]);
    expect(resourcesOf("logs:StartQuery")).toEqual([`arn:aws:logs:*:${MEMBER}:log-group:/aws/lambda/*`]);
    expect(resourcesOf("lambda:ListFunctions")).toEqual(["*"]);
  });

  it("is trusted by the central account only for principals on the collectors' IAM path, for one-hour sessions", () => {
    expect(read.trust).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { AWS: `arn:aws:iam::${CENTRAL}:root` },
        Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${CENTRAL}:role/sightline/collectors/*` } },
      },
    ]);
    expect(read.props.MaxSessionDuration).toBe(3600);
  });

  it("outputs its ARN and the ready-to-paste SIGHTLINE_ACCOUNTS entry", () => {
    expect(outputs.ReadRoleArn).toBe(`<${Object.keys(json.Resources).find((id) => json.Resources[id]!.Properties.RoleName === MEMBER_READ_ROLE_NAME)}.Arn>`);
    expect(outputs.SightlineAccountsEntry).toBe(`${MEMBER}=${outputs.ReadRoleArn as string}`);
  });
});

describe("the external id", () => {
  const { json } = synthesizeMember();

  it("is not required when the parameter is empty", () => {
    const { roles } = deploy(json, { CentralAccountId: CENTRAL, CreateApplyRole: "true" });
    for (const role of Object.values(roles)) expect(JSON.stringify(role.trust)).not.toContain("sts:ExternalId");
  });

  it("takes exactly the values SIGHTLINE_EXTERNAL_ID accepts, so what the member requires the central stacks can send", () => {
    const allowed = new RegExp(json.Parameters!.ExternalId!.AllowedPattern as string);
    for (const value of ["ab", "z".repeat(1224), "Ab9_+=,.@:/-", "sightline-7f3a:prod", "x", "z".repeat(1225), "sightline prod", "sightline#prod", "sightline-é"]) {
      expect(allowed.test(value), value).toBe(optionalExternalId.safeParse(value).success);
    }
    expect(allowed.test("")).toBe(true);
    expect(optionalExternalId.parse("")).toBeUndefined();
  });

  it("is required of every assume, on both roles, when set", () => {
    const { roles } = deploy(json, { CentralAccountId: CENTRAL, CreateApplyRole: "true", ExternalId: "sightline-7f3a" });
    expect(Object.keys(roles).sort()).toEqual([MEMBER_READ_ROLE_NAME, TUNING_APPLY_ROLE_NAME].sort());
    for (const role of Object.values(roles)) {
      expect(role.trust).toHaveLength(1);
      expect((role.trust[0]!.Condition as Json).StringEquals).toEqual({ "sts:ExternalId": "sightline-7f3a" });
      expect((role.trust[0]!.Condition as Json).ArnLike).toBeDefined();
    }
  });
});

describe("the optional apply role", () => {
  const { json } = synthesizeMember();

  it("is not created by default (CreateApplyRole=false), and its output is absent", () => {
    const { roles, outputs } = deploy(json, { CentralAccountId: CENTRAL });
    expect(Object.keys(roles)).toEqual([MEMBER_READ_ROLE_NAME]);
    expect(outputs.TuningApplyRoleArn).toBeUndefined();
  });

  it("with CreateApplyRole=true: TUNING_APPLY_ROLE_NAME with the apply statements, tagged functions only", () => {
    const { roles, outputs } = deploy(json, { CentralAccountId: CENTRAL, CreateApplyRole: "true", ApplyTagValue: "yes" });
    const apply = roles[TUNING_APPLY_ROLE_NAME]!;
    expect(apply.statements.flatMap(actionsOf).sort()).toEqual([...TUNING_APPLY_ACTIONS].sort());
    expect(apply.statements).toEqual([
      expect.objectContaining({
        Resource: `arn:aws:lambda:*:${MEMBER}:function:*`,
        Condition: { StringEquals: { "aws:ResourceTag/sightline:tuning": "yes" } },
      }),
    ]);
    expect(apply.props.MaxSessionDuration).toBe(3600);
    expect(outputs.TuningApplyRoleArn).toBeDefined();
  });

  it("is trusted by the central account only for principals on the console's IAM path", () => {
    const { roles } = deploy(json, { CentralAccountId: CENTRAL, CreateApplyRole: "true" });
    expect(roles[TUNING_APPLY_ROLE_NAME]!.trust).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { AWS: `arn:aws:iam::${CENTRAL}:root` },
        Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${CENTRAL}:role/sightline/console/*` } },
      },
    ]);
  });

  it("takes its tag key from SIGHTLINE_APPLY_SCOPE when that is a tag scope (the key cannot be a parameter)", () => {
    const { json: custom } = synthesizeMember({ SIGHTLINE_APPLY_SCOPE: "tag:team/tuning=allowed" });
    const { roles } = deploy(custom, { CentralAccountId: CENTRAL, CreateApplyRole: "true" });
    expect(roles[TUNING_APPLY_ROLE_NAME]!.statements[0]!.Condition).toEqual({ StringEquals: { "aws:ResourceTag/team/tuning": "allowed" } });
  });
});
