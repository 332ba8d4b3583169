import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import { hostedAccountScenarios } from "@/infra/local/sim/accounts";
import { ScenarioError, loadScenario, parseScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/**
 * A member account whose role requires an external id (the member template deployed with
 * `ExternalId`), reached through the real STS client: AssumeRole succeeds only with that id,
 * and is refused otherwise exactly as AWS refuses an untrusted caller. STS validates every
 * ExternalId like AWS, whatever the member requires.
 */
const EXTERNAL_ID = "sightline-7f3a:prod";
const ECOMMERCE_YAML = readFileSync(fileURLToPath(new URL("../../infra/local/sim/scenarios/ecommerce.yaml", import.meta.url)), "utf8");
const MEMBER_ENTRY = "{ scenario: ecommerce-staging, role: SightlineReadOnly }";

/** The shipped ecommerce scenario, its staging member declaring `extra` (YAML flow-map fields). */
function ecommerceWithMember(extra: string) {
  expect(ECOMMERCE_YAML).toContain(MEMBER_ENTRY);
  return parseScenario(ECOMMERCE_YAML.replace(MEMBER_ENTRY, `{ scenario: ecommerce-staging, role: SightlineReadOnly, ${extra} }`), "ecommerce-external-id.yaml");
}

const guarded = ecommerceWithMember(`externalId: "${EXTERNAL_ID}"`);
const PRIMARY = guarded.account.id;
const MEMBER = "210987654321";
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/SightlineReadOnly`;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const region = guarded.account.region;
const staticCredentials = { accessKeyId: "sightline-local", secretAccessKey: "sightline-local" };
const DENIED = new RegExp(
  `^User: arn:aws:iam::${PRIMARY}:user/sightline-local is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER}:role/SightlineReadOnly`,
);

type SdkClient = { destroy(): void };
const clients: SdkClient[] = [];
let guardedSim: RunningSimulator;
let openSim: RunningSimulator;

function client<T extends SdkClient>(Client: new (config: object) => T, on: RunningSimulator, credentials: object = staticCredentials): T {
  const created = new Client({ endpoint: on.url, region, credentials, maxAttempts: 1 });
  clients.push(created);
  return created;
}

function assume(on: RunningSimulator, extra: Partial<AssumeRoleCommandInput> = {}) {
  return client(STSClient, on).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "sightline-collector", DurationSeconds: 3600, ...extra }));
}

async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  guardedSim = await startSimulator({ scenario: guarded, port: 0, now: () => NOW });
  openSim = await startSimulator({ scenario: loadScenario("ecommerce"), port: 0, now: () => NOW });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await guardedSim?.close();
  await openSim?.close();
});

describe("a member declaring externalId", () => {
  it("is hosted with the id its role requires; the primary requires none", () => {
    expect(hostedAccountScenarios(guarded).map(({ accountId, roleName, externalId }) => ({ accountId, roleName, externalId }))).toEqual([
      { accountId: PRIMARY, roleName: null, externalId: null },
      { accountId: MEMBER, roleName: "SightlineReadOnly", externalId: EXTERNAL_ID },
    ]);
  });

  it("lets in a caller presenting that id, whose session then reads the member's functions", async () => {
    const out = await assume(guardedSim, { ExternalId: EXTERNAL_ID });
    const c = out.Credentials!;
    const lambda = client(LambdaClient, guardedSim, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    const names = (await lambda.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName!);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.endsWith("-staging"))).toBe(true);
  });

  it.each([
    ["without an ExternalId", {}],
    ["with another ExternalId", { ExternalId: "sightline-other" }],
  ])("refuses a caller %s with 403 AccessDenied, naming the caller and the role but neither id", async (_label, extra) => {
    const error = await errorOf(assume(guardedSim, extra));
    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(DENIED);
    expect(error.message).not.toContain(EXTERNAL_ID);
    expect(error.message).not.toContain("sightline-other");
  });
});

describe("a member without externalId", () => {
  it.each([
    ["no ExternalId", {}],
    ["any valid ExternalId", { ExternalId: EXTERNAL_ID }],
  ])("accepts %s, as a trust policy without the condition does", async (_label, extra) => {
    const out = await assume(openSim, extra);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/SightlineReadOnly/sightline-collector`);
  });
});

describe("AssumeRole's ExternalId", () => {
  it.each([
    ["one character", "x", "Member must have length greater than or equal to 2"],
    ["1225 characters", "y".repeat(1225), "Member must have length less than or equal to 1224"],
    ["a space", "sightline prod", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*"],
    ["a #", "sightline#prod", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*"],
  ])("with %s is a 400 ValidationError like STS's, whether or not the role requires one", async (_label, externalId, constraint) => {
    for (const sim of [guardedSim, openSim]) {
      const error = await errorOf(assume(sim, { ExternalId: externalId }));
      expect(error.name).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(`1 validation error detected: Value '${externalId}' at 'externalId' failed to satisfy constraint: ${constraint}`);
    }
  });

  it("accepts STS's extremes: 2 and 1224 characters, every allowed punctuation mark", async () => {
    for (const externalId of ["ab", "z".repeat(1224), "Ab9_+=,.@:/-"]) {
      expect((await assume(openSim, { ExternalId: externalId })).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    }
  });
});

describe("the scenario's externalId", () => {
  it.each([
    ["too short", `externalId: "x"`],
    ["a space", `externalId: "sightline prod"`],
    ["a number", `externalId: 12345`],
  ])("is refused when %s, naming the field", (_label, extra) => {
    let caught: unknown;
    try {
      ecommerceWithMember(extra);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as ScenarioError).issues.map((issue) => issue.path)).toEqual(["account.members[0].externalId"]);
  });
});
