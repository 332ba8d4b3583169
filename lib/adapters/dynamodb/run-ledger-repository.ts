import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { COLLECTOR_NAMES, type CollectorName, type CollectorRun } from "@/lib/domain/collection/collector-run";
import { DAY_MS } from "@/lib/domain/shared/time";
import type { RunLedgerStore } from "@/lib/ports/stores";
import { runLedgerPk, runLedgerSk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

/** Ledger entries expire after this long (TTL attribute `expiresAt`, filtered on read too). */
const RETENTION_DAYS = 30;

const RunItemSchema = z.object({
  collector: z.enum(COLLECTOR_NAMES),
  accountId: z.string(),
  region: z.string(),
  nowMs: z.number(),
  window: z.object({ fromMs: z.number(), toMs: z.number() }).nullable(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  apiUsage: z.record(z.string(), z.object({ requests: z.number(), units: z.number() })),
  estimatedCostUsd: z.number(),
  itemsWritten: z.number(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  outcome: z.enum(["collected", "up-to-date", "skipped", "partial", "failed"]),
  note: z.string().nullable(),
  expiresAt: z.number(),
});

/** The run ledger: one partition per day of run start (keys.ts), newest first on read. */
export class DynamoRunLedgerStore implements RunLedgerStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(run: CollectorRun): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: runLedgerPk(run.startedAtMs),
          sk: runLedgerSk(run.startedAtMs, run.collector, run.accountId, run.region),
          ...run,
          expiresAt: Math.floor(run.startedAtMs / 1000) + RETENTION_DAYS * 86_400,
        },
      }),
    );
  }

  async listRecent(options: { sinceMs: number; nowMs: number; limit: number; collector?: CollectorName }): Promise<CollectorRun[]> {
    const runs: CollectorRun[] = [];
    const sinceMs = Math.max(options.sinceMs, options.nowMs - RETENTION_DAYS * DAY_MS);
    // Newest day first; stop once `limit` runs are found.
    for (let day = Math.floor(options.nowMs / DAY_MS) * DAY_MS; day >= Math.floor(sinceMs / DAY_MS) * DAY_MS && runs.length < options.limit; day -= DAY_MS) {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND sk >= :since",
        ExpressionAttributeValues: { ":pk": runLedgerPk(day), ":since": new Date(sinceMs).toISOString() },
        ScanIndexForward: false,
      });
      for (const item of items) {
        const { expiresAt, ...run } = parseItem(RunItemSchema, item);
        if (expiresAt * 1000 <= options.nowMs) continue; // TTL deletion is lazy: expired items may still be there
        if (options.collector && run.collector !== options.collector) continue;
        runs.push(run);
        if (runs.length >= options.limit) break;
      }
    }
    return runs;
  }
}
