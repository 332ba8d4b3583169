/**
 * console-load: the console's read path at fleet scale (issue 10). A 1,000-function store with
 * 14 days collected, the production console in front of it started as `sightline start`
 * starts it, and autocannon on loopback at 1, 10 and 50 closed-loop clients against the JSON
 * API and the main pages; the first (cold) request of every target is timed on its own. Then
 * the steady-state freshness: collection passes on the scheduler's cadence while an /api/v1
 * route is polled for a function's newest datapoint.
 */
import { createBenchToken, ensureConsoleBuilt, signInBenchUser, startConsole, type ConsoleServer } from "@/bench/lib/console-server";
import { seededFleet, startFleetStack, type FleetStack } from "@/bench/lib/fleet-stack";
import { runLoad, timeOneRequest, type LoadResult } from "@/bench/lib/load";
import { percentile, type BenchContext, type BenchSection, type BenchTarget } from "@/bench/lib/report";
import { runCollectionPass } from "@/infra/local/scheduler";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import { parseSloSpec } from "@/lib/use-cases/manage-slos";

const API_TARGETS = ["/api/v1/functions", "/api/v1/slos", "/api/v1/costs", "/api/v1/service-map"] as const;
const PAGE_TARGETS = ["/", "/functions", "/slos", "/costs", "/map"] as const;
/** The floor: the cheapest route (one Query, a small JSON answer, no sign-in) — what the server itself sustains here. */
const FLOOR_TARGET = "/api/v1/health";
const LEVELS = [1, 10, 50] as const;
/** The bar of issue 10, per API route at 50 clients. */
const P95_TARGET_MS = 300;
const TARGET_CLIENTS = 50;

interface Sizes {
  functions: number;
  days: number;
  loadSeconds: number;
  freshnessSeconds: number;
}

const FULL: Sizes = { functions: 1000, days: 14, loadSeconds: 15, freshnessSeconds: 300 };
const QUICK: Sizes = { functions: 100, days: 2, loadSeconds: 4, freshnessSeconds: 150 };

interface TargetFigures {
  path: string;
  kind: "api" | "page" | "floor";
  cold: { status: number; ms: number; bytes: number };
  loads: LoadResult[];
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : "—");

/**
 * The store: an earlier section's, one a kept `--work-dir` holds (run.ts registers it), or a
 * backfill of its own.
 */
async function storeDir(ctx: BenchContext, sizes: Sizes): Promise<{ dir: string; source: string }> {
  const seeded = await seededFleet(ctx, sizes.functions, sizes.days);
  return { dir: seeded.dir, source: `the ${sizes.days}-day backfill of fleet:${sizes.functions} (${seeded.seconds.toFixed(0)} s, ${seeded.itemsWritten} items)` };
}

/**
 * SLOs for /api/v1/slos to list and the map and overview to badge, when the fleet has none
 * (the generated fleet ships no default SLOs): per team, its first two services by name get a
 * 99.9 % CloudWatch availability SLO over the service and a p99 ≤ 1 s per-minute latency SLO on
 * the service's first function, both over a rolling 30 days. Created through the product's
 * own validation and store, then evaluated by the SLO evaluator. Returns how many were created.
 */
async function ensureSlos(stack: FleetStack): Promise<number> {
  const { doc } = createDynamoClients({ region: stack.env.AWS_REGION!, endpoint: stack.dbUrl });
  const slos = new DynamoSloStore(doc, stack.tableName);
  if ((await slos.list()).length > 0) return 0;
  const functions = await new DynamoFunctionStore(doc, stack.tableName).listFunctions();
  const servicesByTeam = new Map<string, Map<string, (typeof functions)[number][]>>();
  for (const fn of functions) {
    const team = fn.tags.team;
    const service = fn.tags.service;
    if (!team || !service) continue;
    const services = servicesByTeam.get(team) ?? new Map();
    services.set(service, [...(services.get(service) ?? []), fn]);
    servicesByTeam.set(team, services);
  }
  const specs: unknown[] = [];
  for (const [team, services] of [...servicesByTeam].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [service, members] of [...services].sort(([a], [b]) => a.localeCompare(b)).slice(0, 2)) {
      const first = [...members].sort((a, b) => a.functionName.localeCompare(b.functionName))[0]!;
      const common = { service, accountId: first.accountId, region: first.region, window: { kind: "rolling", days: 30 }, labels: { team } };
      specs.push(
        { ...common, id: `${service}-availability`, name: `${service} availability`, target: { kind: "service", service }, indicator: { kind: "availability", source: "cloudwatch" }, objective: 0.999 },
        {
          ...common,
          id: `${first.functionName}-latency`,
          name: `${first.functionName} p99 latency`,
          target: { kind: "function", functionName: first.functionName },
          indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 1000 },
          objective: 0.99,
        },
      );
    }
  }
  const nowMs = Date.now();
  for (const body of specs) {
    const parsed = parseSloSpec(body);
    if (!parsed.ok) throw new Error(`a generated SLO is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    await slos.create(parsed.spec satisfies SloSpec, "bench", nowMs);
  }
  const evaluation = await runCollectionPass(stack.runtime, { only: ["slos"], force: true });
  if (!evaluation.ok) throw new Error(`evaluating the generated SLOs failed: ${evaluation.error ?? evaluation.runs.find((r) => r.error)?.error}`);
  return specs.length;
}

async function measureTargets(ctx: BenchContext, sizes: Sizes, console_: ConsoleServer, auth: { api: Record<string, string>; page: Record<string, string> }): Promise<TargetFigures[]> {
  const targets = [
    { path: FLOOR_TARGET, kind: "floor" as const },
    ...API_TARGETS.map((path) => ({ path, kind: "api" as const })),
    ...PAGE_TARGETS.map((path) => ({ path, kind: "page" as const })),
  ];
  const headersOf = (kind: TargetFigures["kind"]) => (kind === "page" ? auth.page : kind === "api" ? auth.api : {});
  const figures: TargetFigures[] = [];
  // Cold first: every target's first request after the console started, before any load.
  const cold = new Map<string, TargetFigures["cold"]>();
  for (const t of targets) {
    const headers = headersOf(t.kind);
    cold.set(t.path, await timeOneRequest(`${console_.url}${t.path}`, headers, 120_000));
    ctx.log(`cold ${t.path}: ${cold.get(t.path)!.status} in ${ms(cold.get(t.path)!.ms)}`);
  }
  for (const t of targets) {
    const headers = headersOf(t.kind);
    const loads: LoadResult[] = [];
    for (const connections of LEVELS) {
      const result = await runLoad({ url: `${console_.url}${t.path}`, headers, connections, durationSeconds: sizes.loadSeconds, timeoutSeconds: 60 });
      ctx.log(`${t.path} × ${connections}: p95 ${ms(result.p95Ms)}, ${result.requestsPerSecond.toFixed(1)} req/s, ${result.non2xx} non-2xx, ${result.errors} errors`);
      loads.push(result);
    }
    figures.push({ path: t.path, kind: t.kind, cold: cold.get(t.path)!, loads });
  }
  return figures;
}

interface Freshness {
  lagsMs: number[];
  passes: { startedAtMs: number; seconds: number; ok: boolean }[];
  functionName: string;
  polls: number;
}

/**
 * Steady state: a pass on the local scheduler's cadence (5 s past every minute, cadence-driven,
 * as `sightline collect` runs them) while GET /api/v1/functions/<name>?range=1h is polled every
 * 3 s. Each time its newest minute with invocations moves on, the lag is the poll's time minus
 * that minute's timestamp (CloudWatch stamps a minute with its start).
 */
async function measureFreshness(ctx: BenchContext, sizes: Sizes, stack: FleetStack, console_: ConsoleServer, headers: Record<string, string>): Promise<Freshness> {
  const list = (await (await fetch(`${console_.url}/api/v1/functions?range=1h&sort=invocations&dir=desc`, { headers })).json()) as { functions: { functionName: string }[] };
  const functionName = list.functions[0]?.functionName;
  if (!functionName) throw new Error("freshness: /api/v1/functions listed no function");
  const url = `${console_.url}/api/v1/functions/${encodeURIComponent(functionName)}?range=1h`;
  const newest = async (): Promise<number | null> => {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`freshness: GET ${url} answered ${response.status}`);
    const body = (await response.json()) as { function: { metrics: { points: { timestampMs: number; invocations: number | null }[] } } };
    const points = body.function.metrics.points.filter((p) => p.invocations !== null);
    return points.length === 0 ? null : Math.max(...points.map((p) => p.timestampMs));
  };
  const endAt = Date.now() + sizes.freshnessSeconds * 1000;
  const passes: Freshness["passes"] = [];
  let stopped = false;
  const scheduler = (async () => {
    while (!stopped) {
      const delayMs = 60_000 - (Date.now() % 60_000) + 5_000;
      await new Promise((r) => setTimeout(r, delayMs));
      if (stopped || Date.now() > endAt) break;
      const startedAtMs = Date.now();
      const report = await stack.pass({ force: false });
      passes.push({ startedAtMs, seconds: (Date.now() - startedAtMs) / 1000, ok: report.ok });
    }
  })();
  const lagsMs: number[] = [];
  let polls = 0;
  let last = await newest();
  while (Date.now() < endAt) {
    await new Promise((r) => setTimeout(r, 3_000));
    const seen = await newest();
    polls++;
    if (seen !== null && (last === null || seen > last)) {
      lagsMs.push(Date.now() - seen);
      last = seen;
    }
  }
  stopped = true;
  await scheduler;
  return { lagsMs, passes, functionName, polls };
}

export const consoleLoadSection: BenchSection = {
  id: "console-load",
  title: "Console under load, and freshness",
  async run(ctx) {
    const sizes = ctx.quick ? QUICK : FULL;
    const store = await storeDir(ctx, sizes);
    const stack = await startFleetStack({ dir: store.dir, functions: sizes.functions, backfillHours: sizes.days * 24 });
    let console_: ConsoleServer | undefined;
    try {
      // Bring the store up to now (it was collected earlier): one cadence-driven pass.
      const catchUpStarted = performance.now();
      const catchUp = await stack.pass({ force: false });
      const catchUpSeconds = (performance.now() - catchUpStarted) / 1000;
      if (!catchUp.ok) ctx.log(`the catch-up pass reported a failure: ${catchUp.error ?? catchUp.runs.find((r) => r.error)?.error}`);
      const createdSlos = await ensureSlos(stack);
      if (createdSlos > 0) ctx.log(`created and evaluated ${createdSlos} SLOs`);

      const buildSeconds = await ensureConsoleBuilt({ logDir: ctx.workDir, log: ctx.log });
      console_ = await startConsole({ env: stack.env });
      ctx.log(`console at ${console_.url} (up in ${console_.startSeconds.toFixed(1)} s)`);
      const token = await createBenchToken(stack.env, "admin");
      const cookie = await signInBenchUser(stack.env, console_.url, "admin");
      const auth = { api: { authorization: `Bearer ${token}` }, page: { cookie } };

      const figures = await measureTargets(ctx, sizes, console_, auth);
      ctx.log(`freshness: passes on the minute for ${sizes.freshnessSeconds} s`);
      const freshness = await measureFreshness(ctx, sizes, stack, console_, auth.api);

      const rows: (string | number)[][] = [];
      for (const f of figures) {
        rows.push([f.path, "cold (1st)", 1, "—", ms(f.cold.ms), "—", "—", f.cold.status >= 200 && f.cold.status < 300 ? 0 : 1, 0]);
        for (const l of f.loads) {
          rows.push([f.path, `${l.connections} clients`, l.responses, l.requestsPerSecond.toFixed(1), ms(l.p50Ms), ms(l.p95Ms), ms(l.p99Ms), l.non2xx, l.errors]);
        }
      }
      const sortedLags = [...freshness.lagsMs].sort((a, b) => a - b);
      const lagP50 = percentile(sortedLags, 50);
      const lagMax = sortedLags.at(-1) ?? Number.NaN;
      const passSeconds = freshness.passes.map((p) => p.seconds).sort((a, b) => a - b);
      // Freshness in the same columns: p50 and max lag (as p99), over the new minutes seen.
      rows.push([`freshness lag, GET /api/v1/functions/${freshness.functionName}`, "steady state", freshness.lagsMs.length, "—", `${(lagP50 / 1000).toFixed(0)} s`, "—", `max ${(lagMax / 1000).toFixed(0)} s`, "—", "—"]);

      const targets: BenchTarget[] = figures
        .filter((f) => f.kind === "api")
        .map((f) => {
          const at = f.loads.find((l) => l.connections === TARGET_CLIENTS)!;
          const failures = at.non2xx + at.errors;
          return {
            name: `GET ${f.path} p95 at ${TARGET_CLIENTS} clients, 0 errors`,
            target: `< ${P95_TARGET_MS} ms, 0`,
            actual: `${ms(at.p95Ms)}, ${failures}`,
            met: at.p95Ms < P95_TARGET_MS && failures === 0 && at.responses > 0,
          };
        });
      const notes = [
        `Store: fleet:${sizes.functions}, ${sizes.days} days: ${store.source}; the catch-up pass before measuring took ${catchUpSeconds.toFixed(0)} s.`,
        createdSlos > 0
          ? `The generated fleet has no default SLOs: ${createdSlos} were created (per team, its first two services: 99.9 % availability over the service, p99 ≤ 1 s per minute on its first function; rolling 30 days) through parseSloSpec and the SLO store, and evaluated once.`
          : "SLOs: those already in the store.",
        `Console: the production build${buildSeconds === null ? " (fresh)" : ` (rebuilt in ${buildSeconds.toFixed(0)} s)`} served by \`sightline console\`; API with an admin API token, pages with an admin session cookie; defaults of every route (24h range; costs: its default range and grouping).`,
        `Load: autocannon in this process, closed loop (each client sends its next request when answered), ${sizes.loadSeconds} s per level, every target and level one after the other; latencies from every response. "cold (1st)" is each target's first request after start, before any load: what a request costs without the one-minute read reuse of lib/queries/read-cache.ts (the fan-out reads of the functions, overview, map and cost views; SLOs and cost settings are always read fresh). A request still in flight when a level's time ends is not counted. ${FLOOR_TARGET} (one Query, no sign-in) is the floor: what the console process sustains on this machine at all; by Little's law 50 closed-loop clients need ≥ ${Math.ceil((TARGET_CLIENTS * 1000) / P95_TARGET_MS)} answers/s for a p95 near ${P95_TARGET_MS} ms.`,
        `Freshness: a pass every minute (5 s past, cadence-driven, as \`sightline collect\` runs them; ${freshness.passes.length} passes, ${passSeconds.length > 0 ? `${passSeconds[0]!.toFixed(0)}-${passSeconds.at(-1)!.toFixed(0)} s each` : "none"}) while the function's detail (range=1h) was polled every 3 s; the lag is from the minute's timestamp (its start) to the poll that first showed it: the simulated CloudWatch withholds the running and the just-completed minute (≈ 1-2 min, as AWS does), + up to a minute to the next pass, + the pass's own time (inventory, metrics for every function, then the SLO evaluator) + the poll interval; the read itself is a fraction of a second. p50 ${(lagP50 / 1000).toFixed(0)} s, max ${(lagMax / 1000).toFixed(0)} s.`,
        "2 cores shared by the console, dynalite, the simulator and autocannon: figures are for this machine, not a deployment (DynamoDB on demand and Lambda scale out).",
      ];
      return {
        columns: ["target", "clients", "responses", "req/s", "p50", "p95", "p99", "non-2xx", "errors"],
        rows,
        targets,
        notes,
        data: { sizes, storeSource: store.source, catchUpSeconds, createdSlos, buildSeconds, figures, freshness },
      };
    } finally {
      await console_?.close();
      await stack.close();
    }
  },
};
