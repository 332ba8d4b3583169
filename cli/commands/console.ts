import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
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
const STANDALONE = join(ROOT, ".next", "standalone");

/**
 * The standalone server serves `.next/static` and `public/` from beside itself; the build
 * leaves them where Next wrote them, so link them in (the Lambda package copies them instead).
 */
function linkStaticFiles(): void {
  const links: [string, string][] = [
    [join(STANDALONE, ".next", "static"), join("..", "..", "static")],
    [join(STANDALONE, "public"), join("..", "..", "public")],
  ];
  for (const [link, target] of links) {
    if (!existsSync(join(link, "..", target))) continue; // nothing to serve (a repository without public/)
    const exists = (() => {
      try {
        lstatSync(link);
        return true;
      } catch {
        return false;
      }
    })();
    if (exists) continue;
    mkdirSync(join(link, ".."), { recursive: true });
    symlinkSync(target, link, "dir");
  }
}

/**
 * Runs Next's standalone server (`.next/standalone/server.js`) — the very server the console
 * runs on Lambda — as its child and ties its life to ours: signals are passed on, and when the
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
    const serverJs = join(STANDALONE, "server.js");
    if (!existsSync(serverJs)) {
      console.error(`sightline console: no built console at ${serverJs}; \`sightline start\` builds it`);
      return 1;
    }
    linkStaticFiles();
    const server = spawn(process.execPath, [serverJs], {
      cwd: STANDALONE,
      stdio: "inherit",
      // Keep idle connections open longer than clients do (Node's fetch drops them after 4 s,
      // browsers and proxies after 60 s or so): with Node's default 5 s the server could close a
      // connection just as a client reused it, and that request failed with "other side closed".
      env: { KEEP_ALIVE_TIMEOUT: "65000", ...process.env, HOSTNAME: LOCAL_HOST, PORT: String(port) },
    });
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
