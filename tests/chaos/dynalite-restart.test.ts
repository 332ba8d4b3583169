import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollectionPass } from "@/infra/local/scheduler";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { canonicalJson, dumpTable, quietLog } from "@/tests/support/collector-stack";
import { freePort } from "@/tests/support/free-port";
import { chaosSeed, seededRandom, startDbProcess, tempDir, waitUntil, type SightlineProcess } from "@/tests/support/chaos-processes";

/**
 * The embedded DynamoDB (`sightline db`, its own process as under `sightline start`) SIGKILLed
 * in the middle of collection passes and started again on the same data directory and port,
 * while the collectors keep running in one long-lived process with the same SDK clients (as
 * the supervised collector does). Every item dynalite acknowledged before a kill must be there
 * after the restart; the collectors' next passes must converge to the table of a pass that
 * never saw the database go away. Replay a failure with CHAOS_SEED=<seed>.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const RESTARTS = 6;
const scenario = loadScenario("fleet:8");

let sim: RunningSimulator;
let work: Awaited<ReturnType<typeof tempDir>>;
let port: number;
let db: SightlineProcess;

process.env.AWS_ACCESS_KEY_ID ??= "test";
process.env.AWS_SECRET_ACCESS_KEY ??= "test";

const startDb = () => startDbProcess({ path: `${work.path}/dynamodb`, port, cwd: work.path });

beforeAll(async () => {
  work = await tempDir("sightline-chaos-db-");
  port = await freePort();
  db = await startDb();
  sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: 1, scenario, now: () => NOW });
  // The SDK reads AWS_ENDPOINT_URL from the process environment, as it does in Lambda.
  process.env.AWS_ENDPOINT_URL = sim.url;
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await db?.kill();
  await sim?.close();
  await work?.remove();
});

function runtimeOn(tableName: string): CollectorRuntime {
  return createCollectorRuntime({
    env: {
      TABLE_NAME: tableName,
      AWS_REGION: scenario.account.region,
      AWS_ENDPOINT_URL: sim.url,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      SETTLE_MINUTES: "5",
      SIGHTLINE_ACCOUNT_ID: scenario.account.id,
      BACKFILL_HOURS: "3",
    },
    log: quietLog,
  });
}

/** Every item of a table by key (canonical JSON), read with a client of its own. */
async function itemsByKey(tableName: string): Promise<Map<string, string>> {
  const { client, doc } = createDynamoClients({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}` });
  try {
    const items = new Map<string, string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) items.set(`${String(item.pk)} ${String(item.sk)}`, canonicalJson(item));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

describe("dynalite killed and restarted mid-pass", () => {
  it(`the collectors converge to the table of an undisturbed pass after ${RESTARTS} kills of the database, losing nothing it acknowledged`, async () => {
    const seed = chaosSeed();
    const random = seededRandom(seed);
    const context = (extra: string) => `seed ${seed} (CHAOS_SEED=${seed}): ${extra}`;
    // The reference, on the same database before any kill; it must survive the kills too.
    const { client } = createDynamoClients({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}` });
    await ensureTable(client, "reference");
    for (let round = 0; round < RESTARTS; round++) await ensureTable(client, `chaos-${round}`);
    client.destroy();
    const reference = runtimeOn("reference");
    sim.resetRequestCounts();
    const referencePass = await runCollectionPass(reference, { nowMs: NOW, force: true });
    expect(referencePass.ok, referencePass.error ?? referencePass.runs.find((r) => r.error)?.error ?? "").toBe(true);
    const referenceRequests = sim.requestCounts().total;
    const referenceTable = await dumpTable(reference);
    // A warm pass's length, for kills by time: the same instant again (idempotent: same table).
    const warmStartedAt = Date.now();
    expect((await runCollectionPass(reference, { nowMs: NOW, force: true })).ok).toBe(true);
    const warmMs = Date.now() - warmStartedAt;
    expect(await dumpTable(reference)).toEqual(referenceTable);

    const events: string[] = [];
    let midPassKills = 0;
    // Each round: a fresh table, a first pass (every collector) with the database killed at a
    // random moment of it, then the passes the scheduler would run after a failure.
    for (let round = 0; round < RESTARTS; round++) {
      const table = `chaos-${round}`;
      const chaotic = runtimeOn(table);
      sim.resetRequestCounts();
      const running = runCollectionPass(chaotic, { nowMs: NOW, force: true });
      let settled = false;
      void running.then(() => (settled = true));
      // Somewhere in the pass: every other round after a share of its AWS requests (plus up
      // to 100 ms), the others after a share of a warm pass's time — most items are written
      // late in a pass (the metric hours after their GetMetricData calls).
      const byRequests = round % 2 === 1;
      const requests = 1 + Math.floor(random() * 0.95 * referenceRequests);
      const delayMs = byRequests ? Math.floor(random() * 100) : Math.floor(random() * warmMs);
      const downMs = Math.floor(random() * 1_500);
      if (byRequests) await waitUntil(() => sim.requestCounts().total >= requests, running);
      await Promise.race([new Promise((r) => setTimeout(r, delayMs)), running]);
      const midPass = !settled;
      const point = byRequests ? `after ${requests} AWS requests + ${delayMs} ms` : `${delayMs} ms in`;
      if (midPass) midPassKills++;
      // What the database acknowledged so far (read just before the kill; writes in flight
      // after the read may or may not survive — they were not acknowledged yet).
      const acknowledged = await itemsByKey(table);
      await db.kill();
      await new Promise((r) => setTimeout(r, downMs));
      db = await startDb();
      const after = await itemsByKey(table);
      // The pass goes on writing the same items (deterministic), so an acknowledged item must
      // be there with the same content — except the run's bookkeeping: a watermark moves on,
      // and ledger entries are per run.
      const lost = [...acknowledged].filter(([key, item]) => !after.has(key) || (!/^(WATERMARK|RUN#)/.test(key) && after.get(key) !== item)).map(([key]) => key);
      let pass = await running;
      const event = [`round ${round}: killed ${midPass ? "mid-pass" : "after the pass"} ${point} (${acknowledged.size} items acknowledged), down ${downMs} ms; first pass ${pass.ok ? "ok" : "failed"}`];
      expect(lost, context(`items acknowledged before the kill of round ${round} are missing or changed after the restart`)).toEqual([]);
      for (let retry = 0; !pass.ok && retry < 5; retry++) {
        pass = await runCollectionPass(chaotic, { nowMs: NOW });
        event.push(`retry ${retry + 1} ${pass.ok ? "ok" : `failed (${pass.error ?? pass.runs.find((r) => r.error)?.error})`}`);
      }
      events.push(event.join(", "));
      expect(pass.ok, context(events.join("; "))).toBe(true);
      expect(await dumpTable(chaotic), context(events.join("; "))).toEqual(referenceTable);
    }
    console.log(`dynalite restart chaos, seed ${seed}; reference pass ${referenceRequests} AWS requests, warm pass ${warmMs} ms:\n  ${events.join("\n  ")}`);
    expect(midPassKills, context(events.join("; "))).toBeGreaterThanOrEqual(RESTARTS - 1);
    // Tables finished before later kills are intact too.
    expect(await dumpTable(reference), context("the reference table changed across the restarts")).toEqual(referenceTable);
    for (let round = 0; round < RESTARTS; round++) {
      expect(await dumpTable(runtimeOn(`chaos-${round}`)), context(`table of round ${round} after the later kills`)).toEqual(referenceTable);
    }
  });
});
