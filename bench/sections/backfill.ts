/**
 * Section `backfill`: the 14-day first pass of fleet:1,000 — wall time, items written and
 * items/s, per collector — against a raw BatchWriteItem loop writing the same items into a
 * fresh table of the same dynalite: how much of the backfill is the write path itself.
 * Reuses the backfill the api-calls section measured when it ran first.
 */
import { BatchWriteItemCommand, DeleteTableCommand, DynamoDBClient, ScanCommand, type AttributeValue, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { backfillFleet, knownFleetBackfill, persistedFleetBackfill, type FleetBackfill } from "@/bench/lib/fleet-backfill";
import { startFleetStack } from "@/bench/lib/fleet-stack";
import type { BenchSection } from "@/bench/lib/report";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";

const DAYS = 14;
/** DynamoDB's BatchWriteItem limit, and the product's batch writer's concurrency (lib/adapters/dynamodb/batch-write.ts). */
const BATCH_SIZE = 25;
const BATCH_CONCURRENCY = 4;
const MAX_UNPROCESSED_RETRIES = 8;
const RAW_TABLE = "sightline-raw-writes";

type Item = Record<string, AttributeValue>;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Writes items 25 to a call, 4 calls in flight, retrying UnprocessedItems with backoff: the bare write path. */
async function rawBatchWrite(client: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<number> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } })));
  let calls = 0;
  await mapWithConcurrency(batches, BATCH_CONCURRENCY, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_UNPROCESSED_RETRIES) throw new Error(`dynalite left ${pending.length} items unprocessed after ${MAX_UNPROCESSED_RETRIES} retries`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** (attempt - 1)));
      calls++;
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName] ?? [];
    }
  });
  return calls;
}

/** Items buffered from the scan before a round of writes, so 4 batches stay in flight (a 1 MB scan page holds only ~150 items). */
const WRITE_ROUND_ITEMS = 2_000;

/**
 * Scans `source` page by page (≤ 1 MB each) and writes the items into `target` in rounds of
 * about 2,000, so memory stays bounded; only the writes are timed.
 */
async function copyWithRawWrites(client: DynamoDBClient, source: string, target: string): Promise<{ items: number; bytes: number; calls: number; writeSeconds: number; scanSeconds: number }> {
  let items = 0;
  let bytes = 0;
  let calls = 0;
  let writeMs = 0;
  let scanMs = 0;
  let buffer: Item[] = [];
  const flush = async () => {
    const writeStarted = performance.now();
    calls += await rawBatchWrite(client, target, buffer);
    writeMs += performance.now() - writeStarted;
    buffer = [];
  };
  let startKey: Item | undefined;
  do {
    const scanStarted = performance.now();
    const page = await client.send(new ScanCommand({ TableName: source, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    scanMs += performance.now() - scanStarted;
    for (const item of page.Items ?? []) {
      items++;
      bytes += JSON.stringify(item).length;
      buffer.push(item);
    }
    if (buffer.length >= WRITE_ROUND_ITEMS) await flush();
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (buffer.length > 0) await flush();
  return { items, bytes, calls, writeSeconds: writeMs / 1000, scanSeconds: scanMs / 1000 };
}

export const backfillSection: BenchSection = {
  id: "backfill",
  title: "Backfill and write throughput (fleet:1,000, 14-day first pass)",
  async run(ctx) {
    const functions = ctx.quick ? 100 : 1_000;
    let backfill: FleetBackfill | undefined = knownFleetBackfill(ctx, functions, DAYS) ?? (await persistedFleetBackfill(ctx, functions, DAYS));
    if (backfill) ctx.log(`using the first pass recorded at ${new Date(backfill.nowMs).toISOString()} (${backfill.seconds.toFixed(0)} s) in ${backfill.dir}`);
    const reused = backfill !== undefined && backfill.only === null;
    if (!reused) {
      ctx.log(`backfilling fleet:${functions} over ${DAYS} days (every collector)`);
      const started = await backfillFleet(ctx, { functions, days: DAYS });
      await started.stack.close();
      backfill = started.backfill;
    }
    const measured = backfill!;

    // The raw loop: the same dynalite (restarted on the same directory), a fresh table, the collected items.
    const stack = await startFleetStack({ dir: measured.dir, functions, backfillHours: DAYS * 24 });
    let raw: Awaited<ReturnType<typeof copyWithRawWrites>>;
    const client = new DynamoDBClient({ region: stack.env.AWS_REGION, endpoint: stack.dbUrl, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
    try {
      await ensureTable(client, RAW_TABLE);
      ctx.log(`writing the collected items again with a raw BatchWriteItem loop into ${RAW_TABLE}`);
      raw = await copyWithRawWrites(client, stack.tableName, RAW_TABLE);
      // Leave the store as the backfill left it for later sections.
      await client.send(new DeleteTableCommand({ TableName: RAW_TABLE }));
    } finally {
      client.destroy();
      await stack.close();
    }

    const productRate = measured.itemsWritten / measured.seconds;
    const rawRate = raw.items / raw.writeSeconds;
    const rows: (string | number)[][] = [
      ["first pass (every collector)", fmt(measured.itemsWritten), measured.seconds.toFixed(1), fmt(productRate), ""],
    ];
    // Per collector: its own wall time (collectors of one phase overlap, so these do not add up to the pass).
    for (const name of COLLECTOR_NAMES) {
      const runs = measured.runs.filter((r) => r.collector === name);
      if (runs.length === 0) continue;
      const seconds = runs.reduce((n, r) => n + (r.endedAtMs - r.startedAtMs), 0) / 1000;
      const items = runs.reduce((n, r) => n + r.itemsWritten, 0);
      rows.push([`  ${name}`, fmt(items), seconds.toFixed(1), seconds > 0 ? fmt(items / seconds) : "—", runs.map((r) => r.note ?? r.outcome).join("; ")]);
    }
    rows.push([`raw BatchWriteItem loop (25 per call, ${BATCH_CONCURRENCY} in flight)`, fmt(raw.items), raw.writeSeconds.toFixed(1), fmt(rawRate), `${fmt(raw.calls)} calls, ~${fmt(raw.bytes / raw.items)} B/item as wire JSON`]);
    rows.push(["raw / first pass", "", ratio(measured.seconds / raw.writeSeconds), `${ratio(rawRate / productRate)}×`, ""]);

    return {
      columns: ["what", "items", "seconds", "items/s", "note"],
      rows,
      targets: [],
      notes: [
        `${ctx.quick ? "--quick: " : ""}fleet:${functions}, BACKFILL_HOURS = ${DAYS * 24}, one forced pass of every collector against the simulator and dynalite on disk${reused ? " (a first pass measured earlier in this run by api-calls, or when the kept --work-dir was seeded)" : ""}. items = what the collectors report written (puts, whole items; overwrites count again).`,
        `Raw loop: the collected table scanned page by page (${raw.scanSeconds.toFixed(1)} s of scanning, not timed) and its items written in rounds of ~2,000 with plain BatchWriteItem (low-level client, no marshalling) into a fresh table on the same dynalite, retrying UnprocessedItems; deleted afterwards. Scanned items include the run ledger and watermarks, so the counts differ slightly.`,
        "Per-collector seconds are each run's own wall time; metrics, logs-insights, traces and costs run side by side, so they overlap and do not sum to the pass.",
        "The ratio row: first-pass seconds / raw-loop seconds, and raw items/s / first-pass items/s — how far the whole backfill (API calls, simulation, decoding, item building) is from the bare write path.",
      ],
      data: {
        functions,
        days: DAYS,
        reusedFromApiCalls: reused,
        firstPass: {
          seconds: measured.seconds,
          itemsWritten: measured.itemsWritten,
          itemsPerSecond: productRate,
          collectors: measured.runs.map((r) => ({ collector: r.collector, seconds: (r.endedAtMs - r.startedAtMs) / 1000, itemsWritten: r.itemsWritten, outcome: r.outcome, note: r.note })),
        },
        raw: { ...raw, itemsPerSecond: rawRate, batchSize: BATCH_SIZE, concurrency: BATCH_CONCURRENCY },
      },
    };
  },
};

function ratio(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : "—";
}
