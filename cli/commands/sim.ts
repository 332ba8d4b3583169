import { parseCommandArgs, parseIntFlag, formatHelp, runUntilSignal, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { LOCAL_HOST } from "@/cli/local-stack";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";

const spec = {
  name: "sim",
  summary: "run the simulated AWS account (Lambda, CloudWatch) on loopback",
  usage: "sightline sim [--scenario <name|file>] [--port <port>] [--seed <n>] [--json]",
  options: {
    scenario: { type: "string" },
    port: { type: "string" },
    seed: { type: "string" },
    json: { type: "boolean" },
  },
  optionHelp: [
    "--scenario <x>    scenario name (infra/local/sim/scenarios) or YAML file (default $SIM_SCENARIO or ecommerce)",
    "--port <port>     port on 127.0.0.1 (default $SIM_PORT or 4566)",
    "--seed <n>        seed of the deterministic model (default $SIM_SEED or the scenario's seed)",
    "--json            print the startup summary as JSON",
  ],
} satisfies CommandSpec;

export const simCommand: Command = {
  spec,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const scenario = loadScenario(values.scenario ?? process.env.SIM_SCENARIO ?? "ecommerce");
    const port = parseIntFlag("port", values.port ?? process.env.SIM_PORT, 4566);
    const seed = parseIntFlag("seed", values.seed ?? process.env.SIM_SEED, scenario.seed);
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    try {
      sim = await startSimulator({ host: LOCAL_HOST, port, seed, scenario });
    } catch (error) {
      if ((error as { code?: string }).code === "EADDRINUSE") {
        throw new UsageError(`port ${port} on ${LOCAL_HOST} is already in use; choose another with --port or SIM_PORT`);
      }
      throw error;
    }
    const summary = { url: sim.url, accountId: scenario.account.id, region: scenario.account.region, functions: scenario.functions.length, seed };
    console.log(
      values.json
        ? JSON.stringify(summary)
        : `simulated AWS account ${summary.accountId} (${summary.region}): ${summary.functions} functions on ${sim.url} (seed ${seed})`,
    );
    process.send?.({ type: "ready", url: sim.url });
    await runUntilSignal(() => sim.close());
    return 0;
  },
};
