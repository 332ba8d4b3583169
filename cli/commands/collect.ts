import { parseCommandArgs, formatHelp, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { loadLocalConfig } from "@/lib/config/local-config";
import { buildChildEnv, resolveLocalEndpoints } from "@/cli/local-stack";
import { createCollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { plainLog } from "@/collectors/_runtime/log";
import { runCollectionLoop, runCollectionOnce } from "@/infra/local/scheduler";

const spec = {
  name: "collect",
  summary: "run the collectors (inventory, metrics) once or on the local schedule",
  usage: "sightline collect [--once] [--json]",
  options: { once: { type: "boolean" }, json: { type: "boolean" } },
  optionHelp: [
    "--once            one run of every collector, then exit (non-zero if one failed)",
    "--json            print each run's result as one JSON line",
  ],
} satisfies CommandSpec;

export const collectCommand: Command = {
  spec,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    // Standalone, the collectors find the local stack the way `start` configures it; under
    // `start` (or in Lambda) the environment already carries the endpoints.
    // The AWS SDK reads endpoints and credentials from the process environment, so the local
    // stack's settings go there, exactly as `start` hands them to its children.
    if (!process.env.SIGHTLINE_SUPERVISED) {
      const config = loadLocalConfig();
      Object.assign(process.env, buildChildEnv(config, resolveLocalEndpoints(config), { nextAuthSecret: undefined }));
    }
    const env = process.env;
    const runtime = createCollectorRuntime({ env, log: values.json ? { info: () => {}, error: () => {} } : plainLog("") });
    if (values.once) {
      const report = await runCollectionOnce(runtime, { json: values.json === true });
      if (values.json) console.log(JSON.stringify(report));
      return report.ok ? 0 : 1;
    }
    const intervalSeconds = Number(env.COLLECT_INTERVAL_SECONDS ?? 60);
    await runCollectionLoop(runtime, { intervalSeconds, json: values.json === true });
    return 0;
  },
};
