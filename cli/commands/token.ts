import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { TokenLifetimeSchema, TokenNameSchema } from "@/lib/domain/access/api-token-lifecycle";
import { RoleSchema, ROLES } from "@/lib/domain/access/roles";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { generateApiToken, hashApiToken } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenSummary } from "@/lib/use-cases/authenticate";

const spec = {
  name: "token",
  summary: "mint, list and revoke API tokens for scripts and the CLI (stored hashed)",
  usage: [
    "sightline token create --role <role> [--name <name>] [--expires-in <90d|12h>] [--json]",
    "       sightline token list [--json]",
    "       sightline token revoke <name> [--json]",
  ].join("\n"),
  options: { role: { type: "string" }, name: { type: "string" }, "expires-in": { type: "string" }, json: { type: "boolean" } },
  optionHelp: [
    `--role <role>         create: one of ${ROLES.join(", ")}`,
    "--name <name>         create: a label to recognise the token by, unique among active tokens (default cli-<date>)",
    "--expires-in <span>   create: stop working after this many hours or days (12h, 90d; at most 730d); default never",
    "--json                print JSON: create {token, role, name, expiresAt}; list and revoke the tokens",
  ],
} satisfies CommandSpec;

type Values = ReturnType<typeof parseCommandArgs<typeof spec.options>>["values"];

export const tokenCommand: Command = {
  spec,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const [sub, ...rest] = positionals;
    if (sub !== "create" && sub !== "list" && sub !== "revoke") {
      throw new UsageError(`unknown token subcommand "${sub ?? ""}"; use create, list or revoke (\`sightline token --help\`)`);
    }
    if (sub !== "revoke" && rest.length > 0) throw new UsageError(`\`token ${sub}\` takes no positional arguments, got "${rest.join(" ")}"`);
    if (sub !== "create") {
      for (const flag of ["role", "name", "expires-in"] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to \`token create\` only`);
      }
    }
    const { doc, tableName, dynamoEndpoint } = openLocalTable();
    const tokens = new DynamoApiTokenStore(doc, tableName);
    try {
      if (sub === "create") return await create(tokens, values);
      if (sub === "list") return await list(tokens, values.json === true);
      return await revoke(tokens, rest, values.json === true);
    } catch (error) {
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};

async function create(tokens: DynamoApiTokenStore, values: Values): Promise<number> {
  const role = RoleSchema.safeParse(values.role);
  if (!role.success) throw new UsageError(`--role must be one of ${ROLES.join(", ")}${values.role ? `, got "${values.role}"` : ""}`);
  const name = values.name ?? `cli-${new Date().toISOString().slice(0, 10)}`;
  if (!TokenNameSchema.safeParse(name).success) throw new UsageError("--name must be 1-64 letters, digits, or _ . @ -");
  let lifetimeMs: number | undefined;
  if (values["expires-in"] !== undefined) {
    const lifetime = TokenLifetimeSchema.safeParse(values["expires-in"]);
    if (!lifetime.success) throw new UsageError(`--expires-in ${lifetime.error.issues[0]?.message ?? "is invalid"}, got "${values["expires-in"]}"`);
    lifetimeMs = lifetime.data;
  }
  const nowMs = Date.now();
  const expiresAtMs = lifetimeMs === undefined ? undefined : nowMs + lifetimeMs;
  const { token } = await createApiToken(
    { tokens, hashToken: hashApiToken, generateToken: generateApiToken },
    { name, role: role.data, createdBy: "cli", nowMs, ...(expiresAtMs !== undefined ? { expiresAtMs } : {}) },
  );
  const expiresAt = expiresAtMs === undefined ? null : new Date(expiresAtMs).toISOString();
  if (values.json) console.log(JSON.stringify({ token, role: role.data, name, expiresAt }));
  else {
    const expiry = expiresAt === null ? "" : `, expires ${expiresAt}`;
    console.log(`${token}\n\nAPI token "${name}" (role ${role.data}${expiry}). It is shown only now; use it as: Authorization: Bearer <token>`);
  }
  return 0;
}

async function list(tokens: DynamoApiTokenStore, json: boolean): Promise<number> {
  const all = await listApiTokens({ tokens }, Date.now());
  if (json) {
    console.log(JSON.stringify({ tokens: all.map(toJson) }));
    return 0;
  }
  if (all.length === 0) {
    console.log("No API tokens yet; `sightline token create --role viewer` mints one.");
    return 0;
  }
  const rows = all.map((t) => [t.name, t.role, t.status, t.hashPrefix, isoMinute(t.createdAtMs), t.createdBy, t.expiresAtMs === null ? "never" : isoMinute(t.expiresAtMs), t.revokedAtMs === null ? "" : `${isoMinute(t.revokedAtMs)} by ${t.revokedBy ?? "?"}`]);
  const header = ["NAME", "ROLE", "STATUS", "HASH", "CREATED", "BY", "EXPIRES", "REVOKED"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
  console.log("\nHASH is the start of the token's sha256 (what is stored); the token itself is never kept.");
  return 0;
}

async function revoke(tokens: DynamoApiTokenStore, rest: string[], json: boolean): Promise<number> {
  if (rest.length !== 1) throw new UsageError("`token revoke` takes exactly one token name, e.g. `sightline token revoke ci-deploy`");
  const name = rest[0] as string;
  if (!TokenNameSchema.safeParse(name).success) throw new UsageError(`"${name}" is not a token name (1-64 letters, digits, or _ . @ -)`);
  const revoked = await revokeApiToken({ tokens }, { name, revokedBy: "cli", nowMs: Date.now() });
  if (json) console.log(JSON.stringify({ revoked: revoked.map(toJson) }));
  else console.log(`Revoked API token "${name}" (${revoked.map((t) => `role ${t.role}, hash ${t.hashPrefix}`).join("; ")}): requests with it are refused from now on.`);
  return 0;
}

function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function toJson(t: ApiTokenSummary) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    name: t.name,
    role: t.role,
    status: t.status,
    hashPrefix: t.hashPrefix,
    createdAt: iso(t.createdAtMs),
    createdBy: t.createdBy,
    expiresAt: iso(t.expiresAtMs),
    revokedAt: iso(t.revokedAtMs),
    revokedBy: t.revokedBy,
  };
}
