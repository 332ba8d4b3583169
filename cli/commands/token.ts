import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { RoleSchema, ROLES } from "@/lib/domain/access/roles";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { generateApiToken, hashApiToken } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { createApiToken } from "@/lib/use-cases/authenticate";

const spec = {
  name: "token create",
  summary: "mint an API token for scripts and the CLI (stored hashed)",
  usage: "sightline token create --role <role> [--name <name>] [--json]",
  options: { role: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
  optionHelp: [
    `--role <role>     one of ${ROLES.join(", ")}`,
    "--name <name>     a label to recognise the token by (default cli-<date>)",
    "--json            print {token, role, name} as JSON",
  ],
} satisfies CommandSpec;

export const tokenCommand: Command = {
  spec,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    if (positionals[0] !== "create") throw new UsageError(`unknown token subcommand "${positionals[0] ?? ""}"; try \`sightline token create --role viewer\``);
    const role = RoleSchema.safeParse(values.role);
    if (!role.success) throw new UsageError(`--role must be one of ${ROLES.join(", ")}${values.role ? `, got "${values.role}"` : ""}`);
    const name = values.name ?? `cli-${new Date().toISOString().slice(0, 10)}`;
    if (!/^[\w.@-]{1,64}$/.test(name)) throw new UsageError("--name must be 1-64 letters, digits, or _ . @ -");

    const { doc, tableName, dynamoEndpoint } = openLocalTable();
    try {
      const { token } = await createApiToken(
        { tokens: new DynamoApiTokenStore(doc, tableName), hashToken: hashApiToken, generateToken: generateApiToken },
        { name, role: role.data, createdBy: "cli", nowMs: Date.now() },
      );
      if (values.json) console.log(JSON.stringify({ token, role: role.data, name }));
      else console.log(`${token}\n\nAPI token "${name}" (role ${role.data}). It is shown only now; use it as: Authorization: Bearer <token>`);
      return 0;
    } catch (error) {
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
