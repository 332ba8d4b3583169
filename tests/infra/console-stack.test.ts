import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { createSightlineApp } from "@/infra/app";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { STACK_NAMES } from "@/infra/stacks/contracts";
import { LAMBDA_WEB_ADAPTER_LAYER } from "@/infra/stacks/console-stack";
import { actionsOf, fixtureConsoleBuild, permissionStatements, synthesizeApp } from "@/tests/support/cdk-app";

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function consoleTemplate(settings: Record<string, string> = {}) {
  const built = synthesizeApp(settings);
  const template = built.templates[STACK_NAMES.console]!;
  const resources = (template.toJSON().Resources ?? {}) as Resources;
  const fn = Object.entries(resources).find(([id, r]) => r.Type === "AWS::Lambda::Function" && id.startsWith("ConsoleFunction"))![1];
  const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
  return { built, template, resources, fn, env, text: JSON.stringify(template.toJSON()) };
}

/** Resolves the simple intrinsic functions CDK writes around ARNs into one readable string. */
function flatten(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(flatten).join("");
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if ("Fn::Join" in o) {
      const [sep, parts] = o["Fn::Join"] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
    if ("Ref" in o) return `\${${String(o.Ref)}}`;
    if ("Fn::GetAtt" in o) return `\${${(o["Fn::GetAtt"] as string[]).join(".")}}`;
    if ("Fn::Select" in o) return `select(${flatten((o["Fn::Select"] as unknown[])[1])})`;
    if ("Fn::Split" in o) return flatten((o["Fn::Split"] as unknown[])[1]);
    if ("Fn::ImportValue" in o) return `\${import:${flatten(o["Fn::ImportValue"])}}`;
  }
  return JSON.stringify(value);
}

const EXTERNAL_OIDC = {
  OIDC_ISSUER: "https://login.example.com/realms/ops",
  OIDC_CLIENT_ID: "sightline-console",
  OIDC_ROLES_CLAIM: "groups",
  OIDC_ROLE_MAP: "ops-admins=admin",
};

describe("the console stack (defaults: Cognito, CloudFront domain)", () => {
  const c = consoleTemplate({ SIGHTLINE_ACCOUNTS: "111122223333,444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly" });

  it("runs Next's standalone server on arm64 Node 22+ behind the Lambda Web Adapter layer", () => {
    const p = c.fn.Properties!;
    expect(p.Architectures).toEqual(["arm64"]);
    expect(Number(/^nodejs(\d+)\.x$/.exec(String(p.Runtime))?.[1])).toBeGreaterThanOrEqual(22);
    expect(p.Handler).toBe("run.sh");
    expect((p.Layers as unknown[]).map(flatten)).toEqual([
      `arn:\${AWS::Partition}:lambda:\${AWS::Region}:${LAMBDA_WEB_ADAPTER_LAYER.account}:layer:LambdaAdapterLayerArm64:${LAMBDA_WEB_ADAPTER_LAYER.version}`,
    ]);
    expect(c.env).toMatchObject({
      AWS_LAMBDA_EXEC_WRAPPER: "/opt/bootstrap",
      AWS_LWA_PORT: "3000",
      PORT: "3000",
      AWS_LWA_READINESS_CHECK_PATH: "/api/v1/health",
      AWS_LWA_INVOKE_MODE: "response_stream",
      TUNING_APPLY_HOME_VIA_ROLE: "true",
      TUNING_APPLY_ROLE_NAME: "SightlineTuningApply",
    });
    expect(p.MemorySize).toBeGreaterThanOrEqual(1024);
    expect(p.MemorySize).toBeLessThanOrEqual(2048);
    expect(p.Timeout).toBeLessThanOrEqual(30);
    c.template.hasResourceProperties("AWS::Lambda::Url", { AuthType: "NONE", InvokeMode: "RESPONSE_STREAM" });
  });

  it("gives the console role its path and only table items, its own secrets and the apply role — no Lambda write, no wildcard action", () => {
    c.template.hasResourceProperties("AWS::IAM::Role", { Path: "/sightline/console/", AssumeRolePolicyDocument: Match.objectLike({}) });
    const roleId = Object.entries(c.resources).find(([, r]) => r.Type === "AWS::IAM::Role" && r.Properties?.Path === "/sightline/console/")![0];
    const statements = permissionStatements(c.template).filter(({ resource }) => {
      const roles = (c.resources[resource]?.Properties?.Roles as { Ref: string }[] | undefined) ?? [];
      return roles.some((r) => r.Ref === roleId);
    });
    const actions = statements.flatMap(({ statement }) => actionsOf(statement));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(actions.filter((a) => a.startsWith("lambda:"))).toEqual([]);
    expect(new Set(actions.map((a) => a.split(":")[0]))).toEqual(new Set(["logs", "dynamodb", "sts", "secretsmanager"]));
    expect(actions.filter((a) => a.startsWith("secretsmanager:"))).toEqual(["secretsmanager:GetSecretValue"]);

    const assume = statements.filter(({ statement }) => actionsOf(statement).includes("sts:AssumeRole"));
    expect(assume).toHaveLength(1);
    const targets = ([assume[0]!.statement.Resource].flat() as unknown[]).map(flatten).sort();
    expect(targets).toEqual([
      "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/SightlineTuningApply",
      "arn:${AWS::Partition}:iam::111122223333:role/SightlineTuningApply",
      "arn:${AWS::Partition}:iam::444455556666:role/SightlineTuningApply",
    ]);
    for (const { statement } of statements.filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith("dynamodb:")))) {
      expect(flatten(statement.Resource)).toMatch(/^\$\{import:SightlineData:.*Table.*Arn/);
    }
  });

  it("generates NEXTAUTH_SECRET in Secrets Manager and writes no secret value anywhere in the template", () => {
    c.template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: "NEXTAUTH_SECRET", SecretStringTemplate: "{}" }),
    });
    for (const [id, r] of Object.entries(c.resources)) {
      if (r.Type !== "AWS::SecretsManager::Secret") continue;
      // Generated, or assembled at deploy time from references: never a literal string.
      expect(typeof r.Properties?.SecretString, id).not.toBe("string");
    }
    for (const name of Object.keys(c.env)) {
      if (name !== "SIGHTLINE_PASSWORD_SIGN_IN") expect(name).not.toMatch(/^(?!.*_SECRET_IDS$).*(SECRET|PASSWORD)/);
    }
    // Sign-in goes through the identity provider only on AWS (nothing creates password users there).
    expect(c.env.SIGHTLINE_PASSWORD_SIGN_IN).toBe("false");
    expect(c.text).not.toMatch(/NEXTAUTH_SECRET"\s*:\s*"[^"]/);
    expect(c.text).not.toMatch(/"ClientSecret"\s*:/);
  });

  it("breaks the function ↔ distribution cycle: NEXTAUTH_URL and the Cognito client travel in a secret the function names by its stack-derived name", () => {
    const settings = Object.values(c.resources).find((r) => r.Type === "AWS::SecretsManager::Secret" && r.Properties?.Name !== undefined)!;
    const name = flatten(settings.Properties!.Name);
    expect(name).toBe("sightline-console-settings-select(${AWS::StackId})");
    const value = flatten(settings.Properties!.SecretString);
    expect(value).toContain('"NEXTAUTH_URL":"https://${Distribution');
    expect(value).toMatch(/"OIDC_CLIENT_ID":"\$\{UsersConsoleClient\w+\}"/);
    expect(value).toMatch(/"OIDC_CLIENT_SECRET":"\$\{ClientSecretReader\w+\.UserPoolClient\.ClientSecret\}"/);
    expect(flatten(c.env.SIGHTLINE_SECRET_IDS).split(",")).toContain(name);
    expect(c.env.NEXTAUTH_URL).toBeUndefined();
    expect(c.built.console.dependencies.map((d) => d.stackName)).toEqual([STACK_NAMES.data]);
    // The client secret reader logs no response (it holds the secret).
    const reader = Object.values(c.resources).find((r) => r.Type === "Custom::SightlineCognitoClientSecret")!;
    expect(flatten(reader.Properties!.Create)).toContain('"logApiResponseData":false');
  });

  it("creates a Cognito pool with a group per Sightline role, a hosted domain and an app client calling back to the console", () => {
    const groups = Object.values(c.resources).filter((r) => r.Type === "AWS::Cognito::UserPoolGroup").map((r) => r.Properties!.GroupName);
    expect(groups.sort()).toEqual(["admin", "engineer", "finance", "sre", "viewer"]);
    c.template.resourceCountIs("AWS::Cognito::UserPoolDomain", 1);
    const client = Object.values(c.resources).find((r) => r.Type === "AWS::Cognito::UserPoolClient")!.Properties!;
    expect(client.GenerateSecret).toBe(true);
    expect(client.AllowedOAuthFlows).toEqual(["code"]);
    expect((client.CallbackURLs as unknown[]).map(flatten)).toEqual(["https://${Distribution830FAC52.DomainName}/api/auth/callback/oidc"]);
    expect(flatten(c.env.OIDC_ISSUER)).toMatch(/^https:\/\/cognito-idp\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/\$\{Users\w+\}$/);
    expect(c.env.OIDC_ROLES_CLAIM).toBe("cognito:groups");
    c.template.hasOutput("UserPoolId", {});
    c.template.hasOutput("ConsoleUrl", {});
  });

  it("serves the app from the function URL uncached and /_next/static from S3 through origin access control, HTTPS only", () => {
    const dist = Object.values(c.resources).find((r) => r.Type === "AWS::CloudFront::Distribution")!.Properties!.DistributionConfig as Record<string, unknown>;
    const origins = dist.Origins as { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[];
    const byId = (id: string) => origins.find((o) => o.Id === id)!;
    const def = dist.DefaultCacheBehavior as Record<string, unknown>;
    expect(flatten(byId(def.TargetOriginId as string).DomainName)).toContain("ConsoleFunctionFunctionUrl");
    expect(def.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(def.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // Managed-CachingDisabled
    expect(def.OriginRequestPolicyId).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac"); // Managed-AllViewerExceptHostHeader
    expect(def.ResponseHeadersPolicyId).toBeDefined();
    expect(def.AllowedMethods).toEqual(expect.arrayContaining(["POST", "PUT", "DELETE"]));
    // The viewer's Host reaches the app as x-forwarded-host (the origin sees the function URL's own).
    expect((def.FunctionAssociations as { EventType: string }[]).map((f) => f.EventType)).toEqual(["viewer-request"]);
    const code = String(Object.values(c.resources).find((r) => r.Type === "AWS::CloudFront::Function")!.Properties!.FunctionCode);
    expect(code).toContain('r.headers["x-forwarded-host"] = { value: r.headers.host.value }');

    const staticBehaviour = (dist.CacheBehaviors as Record<string, unknown>[]).find((b) => b.PathPattern === "/_next/static/*")!;
    const s3 = byId(staticBehaviour.TargetOriginId as string);
    expect(flatten(s3.DomainName)).toContain("StaticAssets");
    expect(s3.OriginAccessControlId).toBeDefined();
    expect(staticBehaviour.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(staticBehaviour.CachePolicyId).toBe("658327ea-f89d-4fab-a63d-7e88639e58f6"); // Managed-CachingOptimized
    expect(dist.PriceClass).toBe("PriceClass_100");
    c.template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    c.template.hasResourceProperties("Custom::CDKBucketDeployment", { DestinationBucketKeyPrefix: "_next/static", Prune: false });
  });

  it("adds HSTS, nosniff, frame denial and a referrer policy to every response", () => {
    c.template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: Match.anyValue(), Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: "DENY", Override: true },
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: "same-origin" }),
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: "frame-ancestors 'none'" }),
        }),
      }),
    });
  });
});

describe("the console stack with an external OIDC provider", () => {
  const c = consoleTemplate(EXTERNAL_OIDC);

  it("creates no Cognito pool and passes the provider's settings as plain variables", () => {
    expect(c.text).not.toContain("AWS::Cognito::");
    expect(c.text).not.toContain("Custom::SightlineCognitoClientSecret");
    expect(c.env).toMatchObject({ OIDC_ISSUER: EXTERNAL_OIDC.OIDC_ISSUER, OIDC_CLIENT_ID: EXTERNAL_OIDC.OIDC_CLIENT_ID, OIDC_ROLES_CLAIM: "groups", OIDC_ROLE_MAP: "ops-admins=admin" });
    expect(c.template.findOutputs("UserPoolId")).toEqual({});
  });

  it("leaves an empty client-secret secret for the operator to fill, and the settings secret holds only NEXTAUTH_URL", () => {
    const secrets = Object.entries(c.resources).filter(([, r]) => r.Type === "AWS::SecretsManager::Secret");
    const operatorFilled = secrets.find(([id]) => id.startsWith("OidcClientSecret"))![1];
    expect(operatorFilled.Properties!.SecretString).toBe("{}");
    const settings = secrets.find(([id]) => id.startsWith("SettingsSecret"))![1];
    expect(Object.keys(JSON.parse(flatten(settings.Properties!.SecretString).replace(/\$\{[^}]+\}/g, "x")) as object)).toEqual(["NEXTAUTH_URL"]);
    const ids = flatten(c.env.SIGHTLINE_SECRET_IDS).split(",");
    expect(ids).toHaveLength(3);
    c.template.hasOutput("OidcClientSecretArn", { Description: Match.stringLikeRegexp("put-secret-value") });
  });

  it("with SIGHTLINE_CONSOLE_DOMAIN, serves that domain with its certificate and needs no settings secret", () => {
    const d = consoleTemplate({
      ...EXTERNAL_OIDC,
      SIGHTLINE_CONSOLE_DOMAIN: "sightline.example.com",
      SIGHTLINE_CONSOLE_CERTIFICATE_ARN: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
    });
    expect(d.env.NEXTAUTH_URL).toBe("https://sightline.example.com");
    d.template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        Aliases: ["sightline.example.com"],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000" }),
      }),
    });
    expect(Object.keys(d.resources).filter((id) => id.startsWith("SettingsSecret"))).toEqual([]);
    expect(flatten(d.env.SIGHTLINE_SECRET_IDS).split(",")).toHaveLength(2);
  });
});

describe("the console stack with SIGHTLINE_EXTERNAL_ID", () => {
  it("hands the member roles' external id to the console, which sends it when assuming a member's apply role", () => {
    const c = consoleTemplate({
      SIGHTLINE_ACCOUNTS: "111122223333,444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly",
      SIGHTLINE_EXTERNAL_ID: "sightline-7f3a:prod",
    });
    expect(c.env.SIGHTLINE_EXTERNAL_ID).toBe("sightline-7f3a:prod");
  });

  it("sets no SIGHTLINE_EXTERNAL_ID variable when the setting is unset or empty", () => {
    for (const settings of [{}, { SIGHTLINE_EXTERNAL_ID: "" }] as Record<string, string>[]) expect(Object.keys(consoleTemplate(settings).env)).not.toContain("SIGHTLINE_EXTERNAL_ID");
  });
});

describe("the console stack with METRICS_CADENCE_MINUTES", () => {
  it("gives the console the collectors' metrics cadence, so the Collectors page judges lateness by the schedule the same app deploys", () => {
    const c = consoleTemplate({ METRICS_CADENCE_MINUTES: "10" });
    expect(c.env.METRICS_CADENCE_MINUTES).toBe("10");
    const schedules = Object.values((c.built.templates[STACK_NAMES.collectors]!.toJSON().Resources ?? {}) as Resources).filter((r) => r.Type === "AWS::Scheduler::Schedule");
    expect(schedules.filter((r) => r.Properties?.ScheduleExpression === "rate(10 minutes)")).toHaveLength(2); // metrics and slos
  });

  it("passes the default, 1, when unset", () => {
    expect(consoleTemplate().env.METRICS_CADENCE_MINUTES).toBe("1");
  });
});

describe("the console stack's public/ files", () => {
  it("serves each top-level public entry from S3 with its own behaviour", () => {
    const build = fixtureConsoleBuild();
    writeFileSync(join(build.publicDir, "robots.txt"), "User-agent: *\n");
    mkdirSync(join(build.publicDir, "images"));
    writeFileSync(join(build.publicDir, "images", "logo.svg"), "<svg/>");
    const built = createSightlineApp({ config: loadDeployConfig(() => undefined, {}), consoleBuild: build, outdir: mkdtempSync(join(tmpdir(), "sightline-cdk-out-")), bundlingStacks: [] });
    const template = Template.fromStack(built.console);
    const dist = Object.values((template.toJSON().Resources ?? {}) as Resources).find((r) => r.Type === "AWS::CloudFront::Distribution")!.Properties!.DistributionConfig as {
      CacheBehaviors: { PathPattern: string }[];
    };
    expect(dist.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(["/_next/static/*", "/images/*", "/robots.txt"]);
    template.resourceCountIs("Custom::CDKBucketDeployment", 2);
  });
});
