import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Stack, Validations, type App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { createSightlineApp, type SightlineApp } from "@/infra/app";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { DEPLOY_CONFIGURATIONS as CONFIGURATIONS, fixtureConsoleBuild } from "@/tests/support/cdk-app";

/**
 * The cdk-nag gate: createSightlineApp registers cdk-nag's AwsSolutions rules, so every synth
 * (`cdk synth/deploy`, these tests) fails on a finding nobody fixed or acknowledged. Proven both
 * ways: the deployable configurations synthesize with no finding at all (errors and warnings),
 * and a throwaway wildcard or queue added to a stack makes the synth fail, naming the rule and
 * the construct — the acknowledgements are per construct and per finding, not per stack.
 */

interface BuiltApp {
  built: SightlineApp;
  outdir: string;
}

function buildApp(settings: Record<string, string>): BuiltApp {
  const outdir = mkdtempSync(join(tmpdir(), "sightline-nag-out-"));
  const built = createSightlineApp({ config: loadDeployConfig(() => undefined, settings), consoleBuild: fixtureConsoleBuild(), outdir, bundlingStacks: [] });
  return { built, outdir };
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/**
 * Synthesizes the app and returns every finding of every validation plugin as
 * `<severity> <rule> <construct path>`; empty when the synth passes clean. A synth that fails for
 * another reason than a validation report rethrows.
 */
function findingsOf({ built, outdir }: BuiltApp): string[] {
  let failure: unknown;
  try {
    built.app.synth();
  } catch (error) {
    failure = error;
  }
  const reportPath = join(outdir, "validation-report.json");
  const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, "utf8")) as ValidationReport) : { pluginReports: [] };
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} ${c.constructPath}`)),
  );
  if (failure !== undefined && findings.length === 0) throw failure;
  return findings.sort();
}

/** Every acknowledgement in the tree: where it was made, its id and its reason. */
function acknowledgementsOf(app: App): { path: string; scope: IConstruct; id: string; reason: string }[] {
  return app.node.findAll().flatMap((scope) =>
    scope.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: scope.node.path, scope, id, reason }))),
  );
}

describe.each(Object.entries(CONFIGURATIONS))("cdk-nag AwsSolutions on the app with %s", (_name, settings) => {
  it("synthesizes with no finding left, neither error nor warning", () => {
    expect(findingsOf(buildApp(settings))).toEqual([]);
  });

  it("acknowledges on the constructs concerned, never on a stack or the app, each IAM5 finding by its own id, each with a reason", () => {
    const { built } = buildApp(settings);
    const acknowledgements = acknowledgementsOf(built.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, scope, id, reason } of acknowledgements) {
      expect(Stack.isStack(scope) || scope === built.app, `${path}: ${id}`).toBe(false);
      if (id.includes("AwsSolutions-IAM5")) expect(id, path).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
      expect(reason.length, `${path}: ${id}`).toBeGreaterThanOrEqual(60);
    }
  });
});

describe("what the checks asked for and was fixed rather than acknowledged", () => {
  it("the Cognito pool requires a 12-character password with all four character classes, and an authenticator app (TOTP, no SMS) at every sign-in", () => {
    const { built } = buildApp({});
    Template.fromStack(built.console).hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
  });

  it("with a custom domain and certificate, CloudFront accepts TLS 1.2 or newer only", () => {
    const { built } = buildApp(CONFIGURATIONS["custom domain and certificate, Cognito, tag-scoped apply over two regions, external id"]!);
    Template.fromStack(built.console).hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: { ViewerCertificate: { MinimumProtocolVersion: "TLSv1.2_2021", SslSupportMethod: "sni-only" } },
    });
  });
});

describe("the cdk-nag gate is live", () => {
  it("fails the synth on a wildcard resource nobody acknowledged, naming AwsSolutions-IAM5 and the construct, in a stack whose roles acknowledge their own", () => {
    const app = buildApp({});
    const role = new Role(app.built.collectors, "Throwaway", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ["lambda:ListFunctions"], resources: ["*"] }));
    expect(findingsOf(app)).toEqual(["error AwsSolutions-IAM5[Resource::*] SightlineCollectors/Throwaway/DefaultPolicy/Resource"]);
  });

  it("fails the synth on a wildcard action, even on a role that acknowledges other wildcards", () => {
    const app = buildApp({});
    const deployRole = app.built.console.node.findChild("AssetDeploymentRole") as Role;
    deployRole.addToPrincipalPolicy(new PolicyStatement({ actions: ["s3:Put*"], resources: ["arn:aws:s3:::example-bucket"] }));
    expect(findingsOf(app)).toEqual(["error AwsSolutions-IAM5[Action::s3:Put*] SightlineConsole/AssetDeploymentRole/DefaultPolicy/Resource"]);
  });

  it("fails the synth on a queue that is neither a dead-letter queue nor has one: SQS3 is acknowledged per queue", () => {
    const app = buildApp({});
    new Queue(app.built.collectors, "ThrowawayQueue", { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    expect(findingsOf(app)).toEqual(["error AwsSolutions-SQS3 SightlineCollectors/ThrowawayQueue/Resource"]);
  });
});
