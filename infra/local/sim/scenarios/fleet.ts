import { ScenarioSchema, type Scenario } from "../scenario-schema";
import { hashInts, hashString } from "../model/random";

/**
 * The generated `fleet` scenario: N functions (1–5,000) spread over teams and services, for
 * scale tests and benchmarks. Everything is drawn from the seed, so `fleet:1000` with the same
 * seed is always the same account. The mix follows what a large organisation runs: mostly
 * Node.js and Python, a Java tail; most functions quiet, a few busy; followers (queue and
 * stream consumers) behind the APIs; some provisioned and reserved concurrency; a few
 * untagged leftovers.
 */

export const MAX_FLEET_FUNCTIONS = 5000;
export const DEFAULT_FLEET_FUNCTIONS = 1000;
export const FLEET_SEED = 20261126;

/** `fleet` or `fleet:<n>`; undefined for any other name. */
export function parseFleetName(name: string): { functions: number } | undefined {
  const match = /^fleet(?::(\d+))?$/.exec(name);
  if (match === null) return undefined;
  return { functions: match[1] === undefined ? DEFAULT_FLEET_FUNCTIONS : Number(match[1]) };
}

const TEAMS = ["checkout", "catalog", "identity", "payments", "fulfilment", "growth", "data", "platform", "support", "search", "ads", "media"];
const RUNTIMES: readonly [string, number][] = [
  ["nodejs22.x", 0.3],
  ["nodejs20.x", 0.15],
  ["python3.12", 0.18],
  ["python3.13", 0.12],
  ["java21", 0.1],
  ["java17", 0.03],
  ["dotnet8", 0.05],
  ["provided.al2023", 0.05],
  ["ruby3.3", 0.02],
];
const MEMORY_SIZES = [128, 256, 512, 512, 1024, 1024, 1536, 2048, 3008];

/**
 * Generates the fleet scenario.
 * @throws RangeError when `functions` is outside 1..5,000.
 */
export function generateFleetScenario(functions: number, seed = FLEET_SEED): Scenario {
  if (!Number.isInteger(functions) || functions < 1 || functions > MAX_FLEET_FUNCTIONS) {
    throw new RangeError(`the fleet scenario takes 1 to ${MAX_FLEET_FUNCTIONS} functions, not ${functions}`);
  }
  const u = (...keys: number[]) => (hashInts(seed, ...keys) + 0.5) / 0x1_0000_0000;
  const pick = <T>(items: readonly T[], value: number): T => items[Math.min(items.length - 1, Math.floor(value * items.length))]!;
  const teamCount = Math.max(3, Math.min(TEAMS.length * 4, Math.ceil(functions / 40)));
  const services: { name: string; team: string; api: boolean; functions: Record<string, unknown>[] }[] = [];
  const loose: Record<string, unknown>[] = [];
  let reservedTotal = 0;
  const concurrencyLimit = Math.max(1000, functions * 10);

  let index = 0;
  let serviceIndex = 0;
  while (index < functions) {
    const teamIndex = Math.floor(u(1, serviceIndex) * teamCount);
    const team = `${TEAMS[teamIndex % TEAMS.length]!}${teamIndex >= TEAMS.length ? `-${Math.floor(teamIndex / TEAMS.length) + 1}` : ""}`;
    const size = Math.min(functions - index, 1 + Math.floor(u(2, serviceIndex) * 12));
    const serviceName = `svc-${String(serviceIndex).padStart(4, "0")}`;
    const hasApi = u(3, serviceIndex) < 0.6;
    const service = { name: serviceName, team, api: hasApi, functions: [] as Record<string, unknown>[] };
    for (let k = 0; k < size; k++, index++) {
      const name = `${serviceName}-fn-${String(k).padStart(2, "0")}`;
      const runtimeDraw = u(4, index);
      let cumulative = 0;
      let runtime = RUNTIMES[0]![0];
      for (const [candidate, share] of RUNTIMES) {
        cumulative += share;
        if (runtimeDraw <= cumulative) {
          runtime = candidate;
          break;
        }
      }
      const memoryMb = pick(MEMORY_SIZES, u(5, index));
      // Most functions are quiet; a long tail is busy (lognormal around 0.2 req/s).
      const rate = Math.min(200, 0.2 * Math.exp(1.8 * normalish(u(6, index), u(7, index))));
      const followsPrevious = k > 0 && u(8, index) < 0.35;
      const cpuMs = Math.round(2 + 400 * u(9, index) ** 3);
      const ioMs = Math.round(10 + 300 * u(10, index) ** 2);
      const fn: Record<string, unknown> = {
        name,
        runtime,
        architecture: u(11, index) < 0.55 ? "arm64" : "x86_64",
        memoryMb,
        timeoutSeconds: hasApi && k === 0 ? 29 : 60,
        tracing: u(12, index) < 0.3 ? "Active" : "PassThrough",
        traffic: followsPrevious
          ? { follows: `${serviceName}-fn-${String(k - 1).padStart(2, "0")}`, ratio: Math.round((0.2 + 2 * u(13, index)) * 100) / 100 }
          : { meanRatePerSecond: Math.round(rate * 10_000) / 10_000 },
        duration: { cpuMs, ioMs, p99ToMedian: Math.round((3 + 6 * u(14, index)) * 10) / 10 },
        trigger: hasApi && k === 0 && !followsPrevious
          ? { type: "api", route: `GET /${serviceName}` }
          : followsPrevious
            ? { type: "sqs", queue: `${serviceName}-queue` }
            : { type: "schedule", expression: "rate(1 minute)" },
        calls: [{ service: "dynamodb", resource: `${serviceName}-table`, operation: u(15, index) < 0.6 ? "read" : "write", perInvocation: 1 + Math.floor(3 * u(16, index)) }],
      };
      if (!followsPrevious && u(17, index) < 0.04) {
        fn.aliases = [{ name: "live", functionVersion: 1 + Math.floor(50 * u(18, index)) }];
        fn.provisionedConcurrency = [{ qualifier: "live", requestedExecutions: 1 + Math.floor(10 * u(19, index)) }];
      }
      if (u(20, index) < 0.05 && reservedTotal + 50 < concurrencyLimit - 200) {
        const reserved = 10 + Math.floor(40 * u(21, index));
        const provisioned = (fn.provisionedConcurrency as { requestedExecutions: number }[] | undefined)?.[0]?.requestedExecutions ?? 0;
        fn.reservedConcurrency = Math.max(reserved, provisioned);
        reservedTotal += fn.reservedConcurrency as number;
      }
      if (u(22, index) < 0.02) {
        // An untagged leftover outside any service.
        delete fn.trigger;
        fn.trigger = { type: "schedule", expression: "rate(5 minutes)" };
        if (followsPrevious) fn.traffic = { meanRatePerSecond: 0.01 };
        loose.push(fn);
      } else {
        service.functions.push(fn);
      }
    }
    if (service.functions.length > 0) services.push(service);
    serviceIndex++;
  }
  // A follower whose upstream was moved out of the service still names it: that is valid.
  const names = [...services.flatMap((s) => s.functions), ...loose].map((fn) => fn.name as string);
  const someFunctions = (count: number, key: number) =>
    Array.from({ length: Math.min(count, names.length) }, (_, i) => names[Math.floor(u(30, key, i) * names.length)]!).filter((n, i, all) => all.indexOf(n) === i);

  return ScenarioSchema.parse({
    version: 1,
    name: `fleet-${functions}`,
    description: `Generated fleet of ${functions} functions over ${services.length} services (seed ${seed})`,
    seed: (hashString(`fleet-${functions}`) ^ seed) >>> 0,
    account: { id: "210987654321", region: "us-east-1", concurrentExecutionsLimit: concurrencyLimit },
    services: services.map((s) => ({
      name: s.name,
      team: s.team,
      ...(s.api ? { api: { name: `${s.name}-api` } } : {}),
      functions: s.functions.map((fn) =>
        fn.trigger !== undefined && (fn.trigger as { type: string }).type === "api" && !s.api ? { ...fn, trigger: { type: "invoke" } } : fn,
      ),
    })),
    functions: loose,
    events: [
      { kind: "error-burst", name: "dependency-outage", schedule: { randomPerWeek: 3 }, durationMinutes: 30, errorRatio: 0.05, functions: someFunctions(20, 1) },
      { kind: "traffic-spike", name: "marketing-push", schedule: { randomPerWeek: 2 }, durationMinutes: 60, rateMultiplier: 3, functions: someFunctions(40, 2) },
      { kind: "latency-regression", name: "noisy-neighbour", schedule: { randomPerWeek: 2 }, durationMinutes: 45, durationMultiplier: 1.8, functions: someFunctions(30, 3) },
    ],
  });
}

/** A standard normal draw from two uniforms (Box–Muller). */
function normalish(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
