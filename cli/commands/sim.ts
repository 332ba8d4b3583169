import { parseCommandArgs, parseIntFlag, formatHelp, runUntilSignal, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { LOCAL_HOST } from "@/cli/local-stack";
import { ScenarioError, loadScenario } from "@/infra/local/sim/load-scenario";
import type { Scenario } from "@/infra/local/sim/scenario-schema";
import { SimStateError } from "@/infra/local/sim/sim-state";
import { startSimulator } from "@/infra/local/sim/server";
import { join } from "node:path";

const spec = {
  name: "sim",
  summary: "run the simulated AWS account(s) (Lambda, CloudWatch, Logs, X-Ray, Cost Explorer, STS) on loopback",
  usage: "sightline sim [--scenario <name|file|fleet:N>] [--port <port>] [--seed <n>] [--state-dir <dir>] [--json]",
  options: {
    scenario: { type: "string" },
    port: { type: "string" },
    seed: { type: "string" },
    "state-dir": { type: "string" },
    json: { type: "boolean" },
  },
  optionHelp: [
    "--scenario <x>    scenario name (infra/local/sim/scenarios), YAML file, or fleet:<n> for a generated",
    "                  fleet of n functions (default $SIM_SCENARIO or ecommerce)",
    "--port <port>     port on 127.0.0.1 (default $SIM_PORT or 4566)",
    "--seed <n>        seed of the deterministic model, for every hosted account (default $SIM_SEED or",
    "                  each account's scenario's seed)",
    "--state-dir <d>   keep each account's state (writes, anchor day) in <d>/<scenario>-<seed>.json across",
    "                  restarts (member accounts: their own scenario's name); without it writes last as",
    "                  long as the process",
    "--json            print the startup summary as JSON",
  ],
} satisfies CommandSpec;

export const simCommand: Command = {
  spec,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    let scenario: Scenario;
    try {
      scenario = loadScenario(values.scenario ?? process.env.SIM_SCENARIO ?? "ecommerce");
    } catch (error) {
      if (error instanceof ScenarioError) throw new UsageError(error.message);
      throw error;
    }
    const port = parseIntFlag("port", values.port ?? process.env.SIM_PORT, 4566);
    const seedFlag = values.seed ?? process.env.SIM_SEED;
    const seed = parseIntFlag("seed", seedFlag, scenario.seed);
    // Only a seed asked for overrides the member accounts' own (each scenario has its seed).
    const seedOverride = seedFlag === undefined || seedFlag === "" ? undefined : seed;
    const stateDir = values["state-dir"];
    const stateFile = stateDir === undefined ? undefined : join(stateDir, `${scenario.name}-${seed}.json`);
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    try {
      sim = await startSimulator({ host: LOCAL_HOST, port, seed: seedOverride, scenario, stateFile });
    } catch (error) {
      if ((error as { code?: string }).code === "EADDRINUSE") {
        throw new UsageError(`port ${port} on ${LOCAL_HOST} is already in use; choose another with --port or SIM_PORT`);
      }
      if (error instanceof SimStateError) throw new UsageError(error.message);
      const code = (error as { code?: string }).code;
      if (stateFile !== undefined && (code === "EACCES" || code === "ENOTDIR" || code === "EROFS" || code === "ENOSPC")) {
        throw new UsageError(`cannot keep the simulator's state in ${stateFile} (${code}); choose another --state-dir`);
      }
      throw error;
    }
    const anchor = new Date(sim.anchorDay * 86_400_000).toISOString().slice(0, 10);
    const members = sim.accounts.filter((account) => account.roleArn !== null);
    const summary = {
      url: sim.url,
      scenario: scenario.name,
      accountId: scenario.account.id,
      region: scenario.account.region,
      functions: scenario.functions.length,
      seed,
      anchorDay: anchor,
      stateFile: stateFile ?? null,
      // Every hosted account, the primary first (roleArn null): what SIGHTLINE_ACCOUNTS lists.
      accounts: sim.accounts.map((account) => ({
        accountId: account.accountId,
        roleArn: account.roleArn,
        scenario: account.scenario,
        region: account.region,
        functions: account.functions,
        seed: account.seed,
        stateFile: account.stateFile,
      })),
    };
    console.log(
      values.json
        ? JSON.stringify(summary)
        : [
            `simulated AWS account ${summary.accountId} (${summary.region}, scenario ${scenario.name}): ${summary.functions} functions on ${sim.url} (seed ${seed}, history anchored on ${anchor})`,
            ...members.map(
              (member) => `  member account ${member.accountId} (${member.region}, scenario ${member.scenario}): ${member.functions} functions; assume role ${member.roleArn}`,
            ),
          ].join("\n"),
    );
    process.send?.({ type: "ready", url: sim.url, accounts: sim.accounts.map(({ accountId, roleArn }) => ({ accountId, roleArn })) });
    await runUntilSignal(() => sim.close());
    return 0;
  },
};
