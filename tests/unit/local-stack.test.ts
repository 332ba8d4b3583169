import { describe, expect, it } from "vitest";
import { buildChildEnv, resolveLocalEndpoints } from "@/cli/local-stack";
import { loadLocalConfig } from "@/lib/config/local-config";

describe("the environment `sightline start` gives its children", () => {
  it("points the SDK at the simulator and dynalite with local credentials and no metadata service", () => {
    const config = loadLocalConfig({ SIM_PORT: "4600", DYNAMODB_PORT: "4601" });
    const env = buildChildEnv(config, resolveLocalEndpoints(config, "/srv/app"), { nextAuthSecret: "s".repeat(40) }, { PATH: "/bin" });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: "http://127.0.0.1:4600",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4601",
      AWS_ACCESS_KEY_ID: "sightline-local",
      AWS_EC2_METADATA_DISABLED: "true",
      NEXTAUTH_URL: "http://127.0.0.1:3000",
      NEXTAUTH_SECRET: "s".repeat(40),
      PATH: "/bin",
    });
  });

  it("hands METRICS_CADENCE_MINUTES to the collectors and the console alike", () => {
    const every5 = loadLocalConfig({ METRICS_CADENCE_MINUTES: "5" });
    expect(buildChildEnv(every5, resolveLocalEndpoints(every5), { nextAuthSecret: undefined }, {}).METRICS_CADENCE_MINUTES).toBe("5");
    // The local config's value wins over a stray one in the parent's environment, so the two children cannot disagree.
    const byDefault = loadLocalConfig({});
    expect(buildChildEnv(byDefault, resolveLocalEndpoints(byDefault), { nextAuthSecret: undefined }, { METRICS_CADENCE_MINUTES: "15" }).METRICS_CADENCE_MINUTES).toBe("1");
  });

  it("against real AWS leaves endpoints and the credential chain alone", () => {
    const config = loadLocalConfig({ SIGHTLINE_AWS: "real" });
    const base = { AWS_ENDPOINT_URL: "http://stale.example:1", AWS_PROFILE: "readonly" };
    const env = buildChildEnv(config, resolveLocalEndpoints(config), { nextAuthSecret: undefined }, base);
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.AWS_EC2_METADATA_DISABLED).toBeUndefined();
    expect(env.AWS_PROFILE).toBe("readonly");
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe("http://127.0.0.1:4567"); // still the embedded table
  });

  it("keeps an explicit endpoint override in real mode", () => {
    const config = loadLocalConfig({ SIGHTLINE_AWS: "real", AWS_ENDPOINT_URL: "http://127.0.0.1:9999" });
    expect(buildChildEnv(config, resolveLocalEndpoints(config), { nextAuthSecret: undefined }, {}).AWS_ENDPOINT_URL).toBe("http://127.0.0.1:9999");
  });

  it("collects every account the simulator hosts, unless accounts are configured", () => {
    const simulated = loadLocalConfig({});
    expect(buildChildEnv(simulated, resolveLocalEndpoints(simulated), { nextAuthSecret: undefined }, {}).SIGHTLINE_ACCOUNTS).toBe(
      "123456789012,210987654321=arn:aws:iam::210987654321:role/SightlineReadOnly",
    );
    expect(buildChildEnv(simulated, resolveLocalEndpoints(simulated), { nextAuthSecret: undefined }, { SIGHTLINE_ACCOUNTS: "123456789012" }).SIGHTLINE_ACCOUNTS).toBe("123456789012");
    // A single-account scenario, and real AWS, leave the list to the own account.
    const fleet = loadLocalConfig({ SIM_SCENARIO: "fleet:3" });
    expect(buildChildEnv(fleet, resolveLocalEndpoints(fleet), { nextAuthSecret: undefined }, {}).SIGHTLINE_ACCOUNTS).toBeUndefined();
    const real = loadLocalConfig({ SIGHTLINE_AWS: "real" });
    expect(buildChildEnv(real, resolveLocalEndpoints(real), { nextAuthSecret: undefined }, {}).SIGHTLINE_ACCOUNTS).toBeUndefined();
  });

  it("lets the console apply tuning in a simulated member account through the role the simulator declares", () => {
    const simulated = loadLocalConfig({});
    expect(buildChildEnv(simulated, resolveLocalEndpoints(simulated), { nextAuthSecret: undefined }, {}).TUNING_APPLY_ROLE_NAME).toBe("SightlineReadOnly");
    expect(buildChildEnv(simulated, resolveLocalEndpoints(simulated), { nextAuthSecret: undefined }, { TUNING_APPLY_ROLE_NAME: "Custom" }).TUNING_APPLY_ROLE_NAME).toBe("Custom");
    const real = loadLocalConfig({ SIGHTLINE_AWS: "real" });
    expect(buildChildEnv(real, resolveLocalEndpoints(real), { nextAuthSecret: undefined }, {}).TUNING_APPLY_ROLE_NAME).toBeUndefined();
  });
});
