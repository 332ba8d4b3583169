import type { CommandSpec } from "@/cli/args";

/** A CLI command: its spec (for --help) and what it does; resolves to the exit code. */
export interface Command {
  spec: CommandSpec;
  hidden?: boolean;
  run(argv: string[]): Promise<number>;
}
