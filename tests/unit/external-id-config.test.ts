import { describe, expect, it } from "vitest";
import { problemsOf } from "@/tests/support/config-problems";
import { loadCollectorConfig } from "@/lib/config/collector-config";
import { loadConsoleConfig } from "@/lib/config/console-config";
import { DEPLOY_SETTING_NAMES, loadDeployConfig } from "@/infra/config/deploy-config";

/**
 * SIGHTLINE_EXTERNAL_ID parses the same way for the collectors, the console and the deploy
 * settings: STS's ExternalId rule (2-1224 characters of `[\w+=,.@:/-]`), blank as unset, and a
 * rejected value is never echoed in the problem.
 */
const CONSOLE_BASE = { NEXTAUTH_SECRET: "x".repeat(32) };
const RUNTIMES = {
  collectors: (env: Record<string, string | undefined>) => loadCollectorConfig(env).SIGHTLINE_EXTERNAL_ID,
  console: (env: Record<string, string | undefined>) => loadConsoleConfig({ ...CONSOLE_BASE, ...env }).SIGHTLINE_EXTERNAL_ID,
  deploy: (env: Record<string, string | undefined>) => loadDeployConfig(() => undefined, env).SIGHTLINE_EXTERNAL_ID,
} as const;

const VALID = [
  ["the shortest STS accepts (2 characters)", "ab"],
  ["the longest STS accepts (1224 characters)", "a".repeat(1224)],
  ["every punctuation mark STS allows", "Ab9_+=,.@:/-"],
  ["a typical value", "sightline-7f3a:prod"],
] as const;

const INVALID = [
  ["too short (1 character)", "x"],
  ["too long (1225 characters)", "b".repeat(1225)],
  ["a space inside", "sightline prod"],
  ["a character STS refuses (#)", "sightline#prod"],
  ["a non-ASCII letter", "sightline-é"],
] as const;

describe.each(Object.entries(RUNTIMES))("SIGHTLINE_EXTERNAL_ID for the %s", (_runtime, externalIdOf) => {
  it("is optional: unset, empty or blank sends none", () => {
    expect(externalIdOf({})).toBeUndefined();
    expect(externalIdOf({ SIGHTLINE_EXTERNAL_ID: "" })).toBeUndefined();
    expect(externalIdOf({ SIGHTLINE_EXTERNAL_ID: "   " })).toBeUndefined();
  });

  it.each(VALID)("accepts %s, unchanged", (_label, value) => {
    expect(externalIdOf({ SIGHTLINE_EXTERNAL_ID: value })).toBe(value);
  });

  it.each(INVALID)("refuses %s, naming the variable and STS's rule without echoing the value", (_label, value) => {
    const problems = problemsOf(() => externalIdOf({ SIGHTLINE_EXTERNAL_ID: value }));
    expect(problems).toEqual(["SIGHTLINE_EXTERNAL_ID: must be 2-1224 characters of letters, digits and _+=,.@:/- (what STS accepts as an ExternalId)"]);
  });
});

describe("SIGHTLINE_EXTERNAL_ID as a deploy setting", () => {
  it("is read from CDK context first, then the environment, like every deploy setting", () => {
    expect(DEPLOY_SETTING_NAMES).toContain("SIGHTLINE_EXTERNAL_ID");
    const context = (name: string) => (name === "SIGHTLINE_EXTERNAL_ID" ? "from-context" : undefined);
    expect(loadDeployConfig(context, { SIGHTLINE_EXTERNAL_ID: "from-env" }).SIGHTLINE_EXTERNAL_ID).toBe("from-context");
    expect(loadDeployConfig(() => undefined, { SIGHTLINE_EXTERNAL_ID: "from-env" }).SIGHTLINE_EXTERNAL_ID).toBe("from-env");
  });
});
