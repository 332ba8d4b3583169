import { resolve } from "node:path";
import { parseCommandArgs, parseIntFlag, formatHelp, runUntilSignal, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { LOCAL_HOST } from "@/cli/local-stack";
import { startEmbeddedDynamo } from "@/infra/local/embedded-dynamodb";

const spec = {
  name: "db",
  summary: "run the embedded DynamoDB (dynalite) on loopback (used by `start`)",
  usage: "sightline db --path <dir> --port <port>",
  options: { path: { type: "string" }, port: { type: "string" } },
  optionHelp: ["--path <dir>      where the data lives", "--port <port>     port on 127.0.0.1"],
} satisfies CommandSpec;

export const dbCommand: Command = {
  spec,
  hidden: true,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const port = parseIntFlag("port", values.port);
    if (!values.path) throw new UsageError("--path is required");
    const db = await startEmbeddedDynamo({ path: resolve(values.path), host: LOCAL_HOST, port });
    console.log(`embedded DynamoDB on ${db.url} (data in ${values.path})`);
    process.send?.({ type: "ready", url: db.url });
    await runUntilSignal(() => db.close());
    return 0;
  },
};
