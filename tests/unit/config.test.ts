import { describe, expect, it } from "vitest";
import { problemsOf } from "@/tests/support/config-problems";
import { loadLocalConfig } from "@/lib/config/local-config";
import { loadConsoleConfig } from "@/lib/config/console-config";
import { loadCollectorConfig } from "@/lib/config/collector-config";


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
    [{ METRICS_CADENCE_MINUTES: "7" }, /^METRICS_CADENCE_MINUTES: must be one of 1, 2, 5, 10, 15 \(minutes between metrics collections\) \(got "7"\)/],
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

describe("METRICS_CADENCE_MINUTES in every runtime that reads it", () => {
  const SECRET = { NEXTAUTH_SECRET: "s".repeat(32) };
  const loaders = {
    collectors: (env: Record<string, string>) => loadCollectorConfig(env).METRICS_CADENCE_MINUTES,
    "sightline start": (env: Record<string, string>) => loadLocalConfig(env).METRICS_CADENCE_MINUTES,
    console: (env: Record<string, string>) => loadConsoleConfig({ ...SECRET, ...env }).METRICS_CADENCE_MINUTES,
  };

  it.each(Object.entries(loaders))("%s: 1 when unset or blank, else one of 1, 2, 5, 10, 15", (_runtime, load) => {
    expect(load({})).toBe(1);
    expect(load({ METRICS_CADENCE_MINUTES: "" })).toBe(1);
    for (const minutes of [1, 2, 5, 10, 15]) expect(load({ METRICS_CADENCE_MINUTES: String(minutes) })).toBe(minutes);
  });

  it.each(Object.entries(loaders))("%s: refuses anything else, naming the variable and the choices", (_runtime, load) => {
    for (const value of ["0", "3", "30", "-5", "2.5", "five"]) {
      expect(problemsOf(() => load({ METRICS_CADENCE_MINUTES: value }))).toEqual([
        `METRICS_CADENCE_MINUTES: must be one of 1, 2, 5, 10, 15 (minutes between metrics collections) (got "${value}")`,
      ]);
    }
  });
});
