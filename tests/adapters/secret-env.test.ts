import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSecretEnv, SecretEnvError } from "@/lib/adapters/aws/secret-env";

/**
 * The secrets-to-environment start-up step through the real Secrets Manager client, against a
 * loopback peer that answers GetSecretValue as Secrets Manager does (AWS JSON 1.1:
 * `X-Amz-Target: secretsmanager.GetSecretValue`, errors as `{"__type": …, "Message": …}`).
 */
const SECRETS: Record<string, string> = {
  "sightline/prod/console": JSON.stringify({ NEXTAUTH_SECRET: "n".repeat(48), OIDC_CLIENT_SECRET: "client-secret-value" }),
  "sightline/prod/collectors": JSON.stringify({ SLO_WEBHOOKS: "slack=https://hooks.slack.com/services/T/B/X" }),
  "sightline/prod/not-json": "just a string",
  "sightline/prod/typo": JSON.stringify({ NEXTAUTH_SECRTE: "x" }),
};

let server: Server;
let client: SecretsManagerClient;
const asked: { target: string | undefined; secretId: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const target = req.headers["x-amz-target"] as string | undefined;
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      asked.push({ target, secretId: SecretId });
      res.setHeader("content-type", "application/x-amz-json-1.1");
      const value = SECRETS[SecretId];
      if (value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." }));
        return;
      }
      res.end(JSON.stringify({ ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SecretId}-AbCdEf`, Name: SecretId, SecretString: value, VersionId: "v1", VersionStages: ["AWSCURRENT"], CreatedDate: 1_764_000_000 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new SecretsManagerClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("resolveSecretEnv", () => {
  it("fills each unset variable from the JSON secrets named in SIGHTLINE_SECRET_IDS, and names only what it filled", async () => {
    asked.length = 0;
    const env: Record<string, string | undefined> = { SIGHTLINE_SECRET_IDS: "sightline/prod/console, sightline/prod/collectors" };
    const filled = await resolveSecretEnv(env, { allowed: ["NEXTAUTH_SECRET", "OIDC_CLIENT_SECRET", "SLO_WEBHOOKS"], client });
    expect(filled.sort()).toEqual(["NEXTAUTH_SECRET", "OIDC_CLIENT_SECRET", "SLO_WEBHOOKS"]);
    expect(env.NEXTAUTH_SECRET).toBe("n".repeat(48));
    expect(env.SLO_WEBHOOKS).toBe("slack=https://hooks.slack.com/services/T/B/X");
    expect(asked).toEqual([
      { target: "secretsmanager.GetSecretValue", secretId: "sightline/prod/console" },
      { target: "secretsmanager.GetSecretValue", secretId: "sightline/prod/collectors" },
    ]);
  });

  it("leaves a variable already set in the environment as it is", async () => {
    const env: Record<string, string | undefined> = { SIGHTLINE_SECRET_IDS: "sightline/prod/console", NEXTAUTH_SECRET: "local-override-local-override-local-override" };
    const filled = await resolveSecretEnv(env, { allowed: ["NEXTAUTH_SECRET", "OIDC_CLIENT_SECRET"], client });
    expect(filled).toEqual(["OIDC_CLIENT_SECRET"]);
    expect(env.NEXTAUTH_SECRET).toBe("local-override-local-override-local-override");
  });

  it("does nothing, and asks nothing, without SIGHTLINE_SECRET_IDS", async () => {
    asked.length = 0;
    const env: Record<string, string | undefined> = {};
    expect(await resolveSecretEnv(env, { allowed: ["NEXTAUTH_SECRET"], client })).toEqual([]);
    expect(asked).toEqual([]);
    expect(env).toEqual({});
  });

  it.each([
    ["sightline/prod/missing", /cannot read secret sightline\/prod\/missing: ResourceNotFoundException: Secrets Manager can't find the specified secret\./],
    ["sightline/prod/not-json", /secret sightline\/prod\/not-json must be a JSON object of string values/],
    ["sightline/prod/typo", /secret sightline\/prod\/typo holds NEXTAUTH_SECRTE, which this runtime does not take \(it takes NEXTAUTH_SECRET\)/],
  ])("refuses %s with an error naming the secret and the problem, never a value", async (id, message) => {
    const env: Record<string, string | undefined> = { SIGHTLINE_SECRET_IDS: id };
    const attempt = resolveSecretEnv(env, { allowed: ["NEXTAUTH_SECRET"], client });
    await expect(attempt).rejects.toThrow(SecretEnvError);
    await expect(attempt).rejects.toThrow(message);
    await attempt.catch((error: Error) => expect(error.message).not.toContain("just a string"));
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
  });
});
