import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/config-error";
import { loadDeployConfig } from "@/infra/config/deploy-config";

const noContext = () => undefined;

describe("loadDeployConfig", () => {
  it("defaults to a production deployment of the deploying account with tag-scoped apply", () => {
    const config = loadDeployConfig(noContext, {});
    expect(config.SIGHTLINE_STAGE).toBe("prod");
    expect(config.SIGHTLINE_REGION).toBe("us-east-1");
    expect(config.SIGHTLINE_TABLE_KEY).toBe("aws-owned");
    expect(config.SIGHTLINE_ACCOUNTS).toEqual([]);
    expect(config.SIGHTLINE_APPLY_SCOPE).toEqual({ kind: "tag", tagKey: "sightline:tuning", tagValue: "enabled" });
    expect(config.SIGHTLINE_LOG_RETENTION_DAYS).toBe(30);
    expect(config.OIDC_ISSUER).toBeUndefined();
    expect(config.METRICS_CADENCE_MINUTES).toBe(1);
  });

  it("reads METRICS_CADENCE_MINUTES from context (a number there) or the environment", () => {
    expect(loadDeployConfig(noContext, { METRICS_CADENCE_MINUTES: "5" }).METRICS_CADENCE_MINUTES).toBe(5);
    expect(loadDeployConfig((name) => (name === "METRICS_CADENCE_MINUTES" ? 15 : undefined), { METRICS_CADENCE_MINUTES: "5" }).METRICS_CADENCE_MINUTES).toBe(15);
  });

  it("takes CDK context before the environment", () => {
    const context = (name: string) => ({ SIGHTLINE_STAGE: "dev", SIGHTLINE_LOG_RETENTION_DAYS: 90 })[name];
    const config = loadDeployConfig(context, { SIGHTLINE_STAGE: "prod", SIGHTLINE_REGION: "eu-west-1" });
    expect(config.SIGHTLINE_STAGE).toBe("dev");
    expect(config.SIGHTLINE_LOG_RETENTION_DAYS).toBe(90);
    expect(config.SIGHTLINE_REGION).toBe("eu-west-1");
  });

  it("parses member accounts as the collectors do", () => {
    const config = loadDeployConfig(noContext, {
      SIGHTLINE_ACCOUNTS: "111122223333,444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly",
    });
    expect(config.SIGHTLINE_ACCOUNTS).toEqual([
      { accountId: "111122223333", roleArn: null },
      { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/SightlineReadOnly" },
    ]);
  });

  it.each([
    ["tag:team=payments", { kind: "tag", tagKey: "team", tagValue: "payments" }],
    ["tag:sightline:tuning=on", { kind: "tag", tagKey: "sightline:tuning", tagValue: "on" }],
    [
      "arn:aws:lambda:*:111122223333:function:orders-*, arn:aws:lambda:eu-west-1:111122223333:function:payments-api",
      { kind: "arn", functionArnPatterns: ["arn:aws:lambda:*:111122223333:function:orders-*", "arn:aws:lambda:eu-west-1:111122223333:function:payments-api"] },
    ],
  ])("reads the apply scope %s", (text, scope) => {
    expect(loadDeployConfig(noContext, { SIGHTLINE_APPLY_SCOPE: text }).SIGHTLINE_APPLY_SCOPE).toEqual(scope);
  });

  it.each([
    [{ SIGHTLINE_STAGE: "staging" }, /SIGHTLINE_STAGE: must be prod or dev \(got "staging"\)/],
    [{ SIGHTLINE_APPLY_SCOPE: "tag:team" }, /SIGHTLINE_APPLY_SCOPE: "tag:team": write tag:<key>=<value>/],
    [{ SIGHTLINE_APPLY_SCOPE: "arn:aws:s3:::bucket" }, /SIGHTLINE_APPLY_SCOPE: "arn:aws:s3:::bucket": write tag:<key>=<value> or Lambda function ARN patterns/],
    [{ SIGHTLINE_LOG_RETENTION_DAYS: "45" }, /SIGHTLINE_LOG_RETENTION_DAYS: must be a retention CloudWatch Logs offers/],
    [{ SIGHTLINE_TABLE_KEY: "mine" }, /SIGHTLINE_TABLE_KEY: must be aws-owned or customer-managed/],
    [{ OIDC_ISSUER: "https://login.example.com" }, /OIDC_CLIENT_ID: OIDC_ISSUER and OIDC_CLIENT_ID go together/],
    [{ OIDC_ISSUER: "http://login.example.com", OIDC_CLIENT_ID: "abc" }, /OIDC_ISSUER: must be an https issuer URL/],
    [{ SIGHTLINE_ALARM_EMAIL: "ops" }, /SIGHTLINE_ALARM_EMAIL: must be an email address/],
    [{ METRICS_CADENCE_MINUTES: "3" }, /METRICS_CADENCE_MINUTES: must be one of 1, 2, 5, 10, 15 \(minutes between metrics collections\) \(got "3"\)/],
    [{ METRICS_CADENCE_MINUTES: "60" }, /METRICS_CADENCE_MINUTES: must be one of 1, 2, 5, 10, 15/],
    [{ SIGHTLINE_ACCOUNTS: "4444=arn:aws:iam::4444:role/x" }, /SIGHTLINE_ACCOUNTS\.0: "4444=arn:aws:iam::4444:role\/x": the account id must be 12 digits/],
  ])("refuses %o naming the setting", (env, message) => {
    expect(() => loadDeployConfig(noContext, env)).toThrow(ConfigError);
    expect(() => loadDeployConfig(noContext, env)).toThrow(message);
  });
});
