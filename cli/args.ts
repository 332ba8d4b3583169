import { parseArgs } from "node:util";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** The option declarations parseArgs takes (node:util does not export this type on Node 20). */
export type ParseArgsOptionsConfig = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** A command's flags were wrong: the message says which and how to get help. */
export class UsageError extends UserFacingError {
  override readonly name = "UsageError";
}

export interface CommandSpec<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** One line per option, shown by --help. */
  optionHelp: string[];
}

/** Parses argv for a command; `--help` is always accepted. Unknown flags are a UsageError. */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun \`sightline ${spec.name} --help\` for usage.`);
  }
}

export function formatHelp(spec: CommandSpec<ParseArgsOptionsConfig>): string {
  return [`sightline ${spec.name} — ${spec.summary}`, "", `Usage: ${spec.usage}`, "", "Options:", ...spec.optionHelp.map((l) => `  ${l}`), "  -h, --help        show this help"].join("\n");
}

/**
 * Keeps a server command alive until SIGINT or SIGTERM, then closes it. Under a supervisor it
 * also stops when the supervisor's IPC channel closes, so a supervisor killed with SIGKILL does
 * not leave orphans holding the ports.
 */
export function runUntilSignal(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((done) => {
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      void close().then(done);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (process.connected) process.once("disconnect", stop);
  });
}

/** A whole-number flag; without a fallback it is required. */
export function parseIntFlag(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined || raw === "") {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return n;
}
