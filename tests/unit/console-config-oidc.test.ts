import { describe, expect, it } from "vitest";
import { problemsOf } from "@/tests/support/config-problems";
import { loadConsoleConfig, loadSignInConfig } from "@/lib/config/console-config";

const SECRET = "oidc-client-secret-value-9f2c";
const OIDC = { OIDC_ISSUER: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf", OIDC_CLIENT_ID: "4k2l9client", OIDC_CLIENT_SECRET: SECRET };


describe("sign-in configuration", () => {
  it("defaults to password sign-in alone", () => {
    expect(loadSignInConfig({})).toEqual({ passwordSignIn: true, oidc: null });
  });

  it("configures OIDC from the three connection settings, with the documented defaults", () => {
    const config = loadSignInConfig(OIDC);
    expect(config.passwordSignIn).toBe(true);
    expect(config.oidc).toMatchObject({
      issuer: OIDC.OIDC_ISSUER,
      wellKnownUrl: `${OIDC.OIDC_ISSUER}/.well-known/openid-configuration`,
      clientId: "4k2l9client",
      clientSecret: SECRET,
      rolesClaim: "groups",
      name: "Single sign-on",
      roleRules: { defaultRole: null },
    });
    expect([...(config.oidc?.roleRules.roleMap ?? [])]).toEqual([]);
  });

  it("reads the roles claim, role map, default role, button name and password switch", () => {
    const config = loadSignInConfig({
      ...OIDC,
      OIDC_ROLES_CLAIM: "cognito:groups",
      OIDC_ROLE_MAP: "sightline-finance=finance, platform=engineer",
      OIDC_DEFAULT_ROLE: "viewer",
      OIDC_NAME: "Acme SSO",
      SIGHTLINE_PASSWORD_SIGN_IN: "false",
    });
    expect(config.passwordSignIn).toBe(false);
    expect(config.oidc).toMatchObject({ rolesClaim: "cognito:groups", name: "Acme SSO", roleRules: { defaultRole: "viewer" } });
    expect([...(config.oidc?.roleRules.roleMap ?? [])]).toEqual([
      ["sightline-finance", "finance"],
      ["platform", "engineer"],
    ]);
  });

  it("does not double a trailing slash of the issuer in the discovery URL", () => {
    expect(loadSignInConfig({ ...OIDC, OIDC_ISSUER: "https://idp.example.com/realms/ops/" }).oidc?.wellKnownUrl).toBe(
      "https://idp.example.com/realms/ops/.well-known/openid-configuration",
    );
  });

  it("treats empty variables as unset (a template's NAME=)", () => {
    expect(loadSignInConfig({ OIDC_ISSUER: "", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "", OIDC_ROLES_CLAIM: "", OIDC_DEFAULT_ROLE: "", OIDC_NAME: "" })).toEqual({ passwordSignIn: true, oidc: null });
    expect(loadSignInConfig({ ...OIDC, OIDC_ROLES_CLAIM: "", OIDC_NAME: " " }).oidc).toMatchObject({ rolesClaim: "groups", name: "Single sign-on" });
  });

  it.each(["http://127.0.0.1:9400", "http://localhost:9400/oidc", "http://[::1]:9400", "https://login.example.com"])("accepts the issuer %s", (issuer) => {
    expect(loadSignInConfig({ ...OIDC, OIDC_ISSUER: issuer }).oidc?.issuer).toBe(issuer);
  });

  it.each([
    ["http://idp.example.com", /^OIDC_ISSUER: must use https \(http is accepted only for a loopback host/],
    ["http://10.0.0.5:9400", /^OIDC_ISSUER: must use https/],
    ["ftp://idp.example.com", /^OIDC_ISSUER: must be the issuer URL/],
    ["idp.example.com", /^OIDC_ISSUER: must be the issuer URL/],
    ["https://idp.example.com/?tenant=1", /^OIDC_ISSUER: must be a plain issuer URL/],
  ])("refuses the issuer %s", (issuer, message) => {
    expect(problemsOf(() => loadSignInConfig({ ...OIDC, OIDC_ISSUER: issuer }))).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    [{ OIDC_ISSUER: OIDC.OIDC_ISSUER }, ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]],
    [{ OIDC_ISSUER: OIDC.OIDC_ISSUER, OIDC_CLIENT_ID: "c" }, ["OIDC_CLIENT_SECRET"]],
    [{ OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: SECRET }, ["OIDC_ISSUER"]],
    [{ OIDC_CLIENT_SECRET: SECRET }, ["OIDC_ISSUER", "OIDC_CLIENT_ID"]],
  ])("names each missing OIDC connection setting: %j", (env, missing) => {
    const problems = problemsOf(() => loadSignInConfig(env));
    expect(problems.map((p) => p.split(":")[0])).toEqual(missing);
    for (const problem of problems) expect(problem).toMatch(/must be set: .* OIDC sign-in needs all of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET/);
  });

  it("never echoes the client secret in a configuration error", () => {
    const problems = problemsOf(() => loadSignInConfig({ OIDC_CLIENT_SECRET: SECRET, OIDC_CLIENT_ID: "c", OIDC_ISSUER: "http://idp.example.com" }));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).not.toContain(SECRET);
    const tooLong = "s".repeat(1025);
    const [problem] = problemsOf(() => loadSignInConfig({ ...OIDC, OIDC_CLIENT_SECRET: tooLong }));
    expect(problem).toMatch(/^OIDC_CLIENT_SECRET: must be at most 1024 characters$/);
  });

  it("refuses to switch password sign-in off without OIDC: nobody could sign in", () => {
    expect(problemsOf(() => loadSignInConfig({ SIGHTLINE_PASSWORD_SIGN_IN: "false" }))).toEqual([
      expect.stringMatching(/^SIGHTLINE_PASSWORD_SIGN_IN: is false but OIDC is not configured .*nobody could sign in/),
    ]);
  });

  it.each([
    [{ SIGHTLINE_PASSWORD_SIGN_IN: "no" }, /^SIGHTLINE_PASSWORD_SIGN_IN: must be true or false/],
    [{ ...OIDC, OIDC_DEFAULT_ROLE: "root" }, /^OIDC_DEFAULT_ROLE: must be one of viewer, sre, finance, engineer, admin/],
    [{ ...OIDC, OIDC_ROLE_MAP: "ops=superuser" }, /^OIDC_ROLE_MAP: "ops=superuser": "superuser" is not a role/],
    [{ ...OIDC, OIDC_NAME: "x".repeat(65) }, /^OIDC_NAME: must be at most 64 characters/],
  ])("names the variable in %j", (env, message) => {
    expect(problemsOf(() => loadSignInConfig(env))).toEqual([expect.stringMatching(message)]);
  });
});

describe("console configuration with sign-in settings", () => {
  const base = { NEXTAUTH_SECRET: "n".repeat(32) };

  it("carries the sign-in settings and keeps the other console fields", () => {
    const config = loadConsoleConfig({ ...base, ...OIDC, SIGHTLINE_PASSWORD_SIGN_IN: "false", TUNING_APPLY_HOME_VIA_ROLE: "true" });
    expect(config).toMatchObject({ OIDC_ISSUER: OIDC.OIDC_ISSUER, OIDC_CLIENT_ID: "4k2l9client", SIGHTLINE_PASSWORD_SIGN_IN: false, TUNING_APPLY_HOME_VIA_ROLE: true });
  });

  it("applies the same rules between the sign-in settings", () => {
    expect(problemsOf(() => loadConsoleConfig({ ...base, OIDC_CLIENT_ID: "c" })).map((p) => p.split(":")[0])).toEqual(["OIDC_ISSUER", "OIDC_CLIENT_SECRET"]);
    expect(problemsOf(() => loadConsoleConfig({ ...base, SIGHTLINE_PASSWORD_SIGN_IN: "false" }))[0]).toMatch(/^SIGHTLINE_PASSWORD_SIGN_IN: /);
  });
});
