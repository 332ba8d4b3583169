import { ConfigError } from "@/lib/config/config-error";
import { UsageError } from "@/cli/args";
import type { Command } from "@/cli/command";
import { startCommand } from "@/cli/commands/start";
import { simCommand } from "@/cli/commands/sim";
import { collectCommand } from "@/cli/commands/collect";
import { tokenCommand } from "@/cli/commands/token";
import { dbCommand } from "@/cli/commands/db";
import { consoleCommand } from "@/cli/commands/console";
import { coldstartsCommand } from "@/cli/commands/coldstarts";
import { sloCommand } from "@/cli/commands/slo";
import { tuningCommand } from "@/cli/commands/tuning";
import { whatifCommand } from "@/cli/commands/whatif";
import { costCommand } from "@/cli/commands/cost";
import { describeError } from "@/lib/use-cases/describe-error";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

const COMMANDS: Command[] = [startCommand, simCommand, collectCommand, tokenCommand, dbCommand, consoleCommand, coldstartsCommand, sloCommand, tuningCommand, whatifCommand, costCommand];

function mainHelp(): string {
  return [
    "sightline — observability and cost optimisation for AWS serverless fleets",
    "",
    "Usage: sightline <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.filter((c) => !c.hidden).map((c) => `  ${c.spec.name.padEnd(14)}${c.spec.summary}`),
    "",
    "Run `sightline <command> --help` for a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.spec.name === name || c.spec.name.split(" ")[0] === name);
  if (!command) {
    console.error(`sightline: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  return command.run(rest);
}

/**
 * Exits once stdout and stderr are flushed. A finished command must not linger because an SDK
 * client keeps idle keep-alive sockets open (a stopped collector would otherwise wait for the
 * supervisor's SIGKILL).
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(`sightline: ${error.message}`);
    exitWhenFlushed(2);
  } else if (error instanceof UserFacingError) {
    console.error(`sightline: ${error.message}`);
    exitWhenFlushed(1);
  } else {
    console.error(`sightline: ${describeError(error)}`);
    if (process.env.SIGHTLINE_DEBUG) console.error(error);
    exitWhenFlushed(1);
  }
});
