import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseCommandArgs, parseIntFlag, formatHelp, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { LOCAL_HOST } from "@/cli/local-stack";

const spec = {
  name: "console",
  summary: "serve the built console on 127.0.0.1 (used by `start`)",
  usage: "sightline console --port <port>",
  options: { port: { type: "string" } },
  optionHelp: ["--port <port>     port on 127.0.0.1"],
} satisfies CommandSpec;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

/**
 * Runs `next start` as its child and ties its life to ours: signals are passed on, and when the
 * supervisor's IPC channel closes (even because the supervisor was SIGKILLed) the server is
 * stopped too, so no orphan keeps the port.
 */
export const consoleCommand: Command = {
  spec,
  hidden: true,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const port = parseIntFlag("port", values.port);
    const server = spawn(process.execPath, [NEXT_BIN, "start", "-H", LOCAL_HOST, "-p", String(port)], { cwd: ROOT, stdio: "inherit" });
    // Next drains open connections on SIGTERM; idle keep-alive browsers must not hold it up.
    const stop = () => {
      server.kill("SIGTERM");
      setTimeout(() => server.kill("SIGKILL"), 5_000).unref();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (process.connected) process.once("disconnect", stop);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      server.once("exit", (c, s) => resolve([c, s])),
    );
    return signal === "SIGTERM" || signal === "SIGINT" ? 0 : (code ?? 1);
  },
};
