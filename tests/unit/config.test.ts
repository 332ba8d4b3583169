import { describe, expect, it } from "vitest";
import { problemsOf } from "@/tests/support/config-problems";
import { loadLocalConfig } from "@/lib/config/local-config";
import { loadConsoleConfig } from "@/lib/config/console-config";


describe("local configuration", () => {
  it("has working defaults for a newcomer", () => {
    const config = loadLocalConfig({});
    expect(config).toMatchObject({ DATA_DIR: ".data", PORT: 3000, SIM_PORT: 4566, SIGHTLINE_AWS: "simulated", BACKFILL_HOURS: 336, AWS_REGION: "us-east-1" });
  });

  it.each([
    [{ PORT: "eighty" }, /^PORT: /],
    [{ PORT: "70000" }, /^PORT: must be 1-65535/],
    [{ SIM_PORT: "0" }, /^SIM_PORT: /],
    [{ AWS_REGION: "Europe" }, /^AWS_REGION: must be a region code/],
    [{ SIGHTLINE_AWS: "maybe" }, /^SIGHTLINE_AWS: must be "simulated" or "real"/],
    [{ SIGHTLINE_ADMIN_PASSWORD: "short" }, /^SIGHTLINE_ADMIN_PASSWORD: must be at least 8/],
    [{ AWS_ENDPOINT_URL: "localhost:4566" }, /^AWS_ENDPOINT_URL: must be an http\(s\) URL/],
    [{ SIGHTLINE_ACCOUNT_ID: "12345" }, /^SIGHTLINE_ACCOUNT_ID: must be 12 digits/],
  ])("names the variable in %j", (env, message) => {
    const problems = problemsOf(() => loadLocalConfig(env));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("never echoes a secret's value back", () => {
    const [problem] = problemsOf(() => loadLocalConfig({ SIGHTLINE_ADMIN_PASSWORD: "abc" }));
    expect(problem).not.toContain("abc");
  });
});

describe("console configuration", () => {
  it("requires a session secret", () => {
    expect(problemsOf(() => loadConsoleConfig({}))[0]).toMatch(/^NEXTAUTH_SECRET: /);
  });
});
