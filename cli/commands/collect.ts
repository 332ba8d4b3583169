import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { formatRunSummary, parseSince, ProgressBars } from "@/cli/collect-report";
import { loadLocalConfig } from "@/lib/config/local-config";
import { buildChildEnv, resolveLocalEndpoints } from "@/cli/local-stack";
import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";
import { createCollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { plainLog } from "@/collectors/_runtime/log";
import { firstFailure, runCollectionLoop, runCollectionPass } from "@/infra/local/scheduler";

const spec = {
  name: "collect",
  summary: "run the collectors once or on the local schedule",
  usage: "sightline collect [--once] [--only <collectors>] [--since <duration>] [--now <instant>] [--json]",
  options: { once: { type: "boolean" }, only: { type: "string" }, since: { type: "string" }, now: { type: "string" }, json: { type: "boolean" } },
  optionHelp: [
    "--once            one run of every collector, then exit (non-zero if one failed)",
    `--only <list>     comma-separated collectors: ${COLLECTOR_NAMES.join(", ")}`,
    "--since <d>       how far back a first run reaches, e.g. 36h or 14d (default 14d)",
    "--now <instant>   with --once: collect up to this ISO 8601 instant instead of the clock's,",
    "                  e.g. 2026-11-26T12:00:30Z (as a scheduled invocation's time does)",
    "--json            print each run as one JSON line (the ledger entry), then the summary",
  ],
} satisfies CommandSpec;

function parseOnly(raw: string | undefined): CollectorName[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(COLLECTOR_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--only: unknown collector ${unknown.map((n) => `"${n}"`).join(", ") || "(none given)"}; choose from ${COLLECTOR_NAMES.join(", ")}`);
  }
  return names as CollectorName[];
}

/** Slack for a `--now` slightly ahead of this machine's clock (clocks of two machines differ). */
const NOW_AHEAD_TOLERANCE_MS = 60_000;

/**
 * `--now`: the instant a pass collects up to, like the `time` of a scheduled Lambda invocation —
 * to re-run a pass for the same instant (a rerun converges to the same table) or to pin the
 * instant of a reproducible run. Needs a zone (Z or ±hh:mm); the future is refused, since
 * watermarks would then claim data collected that does not exist yet.
 */
export function parseNow(raw: string | undefined, wallClockMs: number): number | undefined {
  if (raw === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const [year, month, day] = raw.trim().slice(0, 10).split("-").map(Number);
  // Date.parse rolls 2026-02-31 over into March rather than refusing it.
  const realDay = day !== undefined && day >= 1 && day <= new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const ms = iso.test(raw.trim()) && realDay ? Date.parse(raw.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--now: expected an ISO 8601 instant with a zone, like 2026-11-26T12:00:30Z, got "${raw}"`);
  if (ms > wallClockMs + NOW_AHEAD_TOLERANCE_MS) throw new UsageError(`--now: ${raw} is in the future; collect up to an instant that has passed`);
  return ms;
}

export const collectCommand: Command = {
  spec,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const only = parseOnly(values.only);
    const backfillHours = values.since === undefined ? undefined : parseSince(values.since);
    const json = values.json === true;
    const nowMs = parseNow(values.now, Date.now());
    if (nowMs !== undefined && !values.once) throw new UsageError("--now needs --once: the schedule collects up to the clock's time");
    // Standalone, the collectors find the local stack the way `start` configures it; under
    // `start` (or in Lambda) the environment already carries the endpoints. The AWS SDK reads
    // endpoints and credentials from the process environment, so the local stack's settings
    // go there, exactly as `start` hands them to its children.
    if (!process.env.SIGHTLINE_SUPERVISED) {
      const config = loadLocalConfig();
      Object.assign(process.env, buildChildEnv(config, resolveLocalEndpoints(config), { nextAuthSecret: undefined }));
    }
    const runtime = createCollectorRuntime({ env: process.env, log: json ? { info: () => {}, error: () => {} } : plainLog("") });
    const pass = { ...(only ? { only } : {}), ...(backfillHours ? { backfillHours } : {}) };
    if (values.once) {
      const bars = !json && process.stdout.isTTY ? new ProgressBars(process.stdout) : null;
      const report = await runCollectionPass(runtime, {
        ...pass,
        force: true,
        ...(nowMs === undefined ? {} : { nowMs }),
        onProgress: ({ collector, scope, done, total, unit }) => bars?.update(`${collector} ${scope.accountId}/${scope.region}`, done, total, unit),
      });
      if (json) {
        for (const run of report.runs) console.log(JSON.stringify(run));
        console.log(JSON.stringify({ ok: report.ok, nowMs: report.nowMs, runs: report.runs.length, error: firstFailure(report) }));
      } else {
        console.log(formatRunSummary(report.runs, await runtime.watermarks.list().catch(() => []), report.nowMs));
        if (!report.ok) console.error(`collection failed: ${firstFailure(report)}`);
      }
      return report.ok ? 0 : 1;
    }
    const intervalSeconds = Number(process.env.COLLECT_INTERVAL_SECONDS ?? 60);
    // Under `start` there is no terminal to redraw: long runs (a backfill) log every quarter.
    const milestones = new Map<string, number>();
    await runCollectionLoop(runtime, {
      intervalSeconds,
      pass: {
        ...pass,
        onProgress: ({ collector, scope, done, total, unit }) => {
          if (json || total < 8) return;
          const label = `${collector} ${scope.accountId}/${scope.region}`;
          const quarter = Math.floor((done / total) * 4);
          if (quarter === (milestones.get(label) ?? 0) || quarter === 0) return;
          milestones.set(label, quarter);
          runtime.log.info(`${label}: ${quarter * 25}% (${done}/${total} ${unit})`);
        },
      },
      onPass: (report) => {
        if (json) for (const run of report.runs) console.log(JSON.stringify(run));
      },
    });
    return 0;
  },
};
