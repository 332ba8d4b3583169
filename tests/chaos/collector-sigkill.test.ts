import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpTable, startCollectorStack } from "@/tests/support/collector-stack";
import { chaosSeed, seededRandom, spawnSightline, tempDir, waitUntil } from "@/tests/support/chaos-processes";

/**
 * The real collector process (`sightline collect --once`, as a person or `start` runs it),
 * SIGKILLed at seeded-random points of its pass — after a number of AWS requests, or a number
 * of milliseconds after its first one, so kills land in AWS calls, between them and inside
 * DynamoDB writes — and started again each time; the last start runs to the end. The table must
 * then equal that of one uninterrupted process: everything stored before a kill is either
 * complete or rewritten, and no watermark moved past data that was not stored.
 * Replay a failure with CHAOS_SEED=<seed> (every failure message names it).
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const NOW_ISO = new Date(NOW).toISOString();
const KILLS = 8;
/** Independent rounds, each on a fresh table with its own seed (base seed + round). */
const ROUNDS = 3;

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let work: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  // fleet:8 has a traced function, so every collector (X-Ray included) makes calls to kill in.
  stack = await startCollectorStack({ scenario: "fleet:8", now: () => NOW });
  work = await tempDir("sightline-chaos-");
});

afterAll(async () => {
  await stack?.close();
  await work?.remove();
});

/** The environment the collector process runs with: this stack's simulator and dynalite, one table. */
function collectorEnv(tableName: string): Record<string, string> {
  return {
    ...stack.env(tableName),
    // Take the environment as given (as under `start`), not the local stack's defaults.
    SIGHTLINE_SUPERVISED: "1",
    SIGHTLINE_ACCOUNT_ID: stack.scenario.account.id,
    BACKFILL_HOURS: "3",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

const collect = (tableName: string) => spawnSightline(["collect", "--once", "--now", NOW_ISO, "--json"], collectorEnv(tableName), work.path);

const baseSeed = chaosSeed();
let clean: Awaited<ReturnType<typeof stack.runtimeFor>>;
let referenceRequests = 0;
let referenceMs = 0;

describe("a collector process killed with SIGKILL", () => {
  beforeAll(async () => {
    // The reference: one process, never interrupted.
    clean = await stack.runtimeFor();
    stack.sim.resetRequestCounts();
    const startedAt = Date.now();
    const reference = collect(clean.tableName);
    const referenceExit = await reference.exited;
    expect(referenceExit.code, reference.output()).toBe(0);
    referenceRequests = stack.sim.requestCounts().total;
    referenceMs = Date.now() - startedAt;
    expect(referenceRequests).toBeGreaterThan(20);
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => round))(`converges to the uninterrupted table after ${KILLS} kills at random points (round %i)`, async (round) => {
    const seed = (baseSeed + round) >>> 0;
    const random = seededRandom(seed);
    const context = (extra: string) => `seed ${seed} (CHAOS_SEED=${baseSeed}, round ${round}): ${extra}`;

    const chaotic = await stack.runtimeFor();
    const kills: string[] = [];
    let landed = 0;
    // Each start resumes from the watermarks, so less is left to do: kill points are drawn
    // from what the requests served so far leave of the reference's (roughly: a resumed run
    // re-reads a little).
    let remaining = referenceRequests;
    for (let i = 0; i < KILLS; i++) {
      stack.sim.resetRequestCounts();
      const proc = collect(chaotic.tableName);
      // Half the kills after some AWS requests, half after some time once the first went out.
      const byRequests = i % 2 === 0;
      const share = random() * 0.8;
      const requests = 1 + Math.floor(share * remaining);
      const delayMs = Math.floor(share * referenceMs * 0.6 * (remaining / referenceRequests));
      const started = await waitUntil(() => stack.sim.requestCounts().total > 0, proc.exited);
      const reached = started && (byRequests ? await waitUntil(() => stack.sim.requestCounts().total >= requests, proc.exited) : await sleepUnlessExited(delayMs, proc.exited));
      const exit = await proc.kill();
      remaining = Math.max(KILLS, remaining - stack.sim.requestCounts().total);
      const point = byRequests ? `after ${requests} AWS requests` : `${delayMs} ms after its first AWS request`;
      if (reached && exit.signal === "SIGKILL") landed++;
      kills.push(`${point}: ${exit.signal === "SIGKILL" ? `killed (${stack.sim.requestCounts().total} requests served)` : `had already exited ${exit.code}`}`);
    }
    // The last start runs to the end, resuming from what the killed ones stored.
    const last = collect(chaotic.tableName);
    const lastExit = await last.exited;
    console.log(`collector SIGKILL chaos, round ${round}, seed ${seed}: reference ${referenceRequests} AWS requests in ${referenceMs} ms; kills:\n  ${kills.join("\n  ")}`);
    expect(lastExit.code, context(`${kills.join("; ")}\n${last.output()}`)).toBe(0);
    // Most kills must have hit a running pass for the test to mean anything.
    expect(landed, context(kills.join("; "))).toBeGreaterThanOrEqual(KILLS - 2);
    expect(await dumpTable(chaotic), context(kills.join("; "))).toEqual(await dumpTable(clean));
  });
});

/** Sleeps `ms`; false if the process exited first. */
async function sleepUnlessExited(ms: number, exited: Promise<unknown>): Promise<boolean> {
  const timer = new Promise<"slept">((r) => setTimeout(() => r("slept"), ms));
  return (await Promise.race([timer, exited.then(() => "exited" as const)])) === "slept";
}
