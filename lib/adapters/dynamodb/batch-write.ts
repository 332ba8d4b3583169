import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";

/** DynamoDB's BatchWriteItem limit (FACTS.md §6). */
const BATCH_SIZE = 25;
/** Batches in flight at once. */
const BATCH_CONCURRENCY = 4;
/** Retries of UnprocessedItems before giving up (backoff 50 ms doubling, with jitter). */
const MAX_UNPROCESSED_RETRIES = 8;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Thrown when DynamoDB keeps returning UnprocessedItems after every retry. */
export class UnprocessedItemsError extends Error {
  override readonly name = "UnprocessedItemsError";
}

/**
 * Writes requests in batches of 25, retrying UnprocessedItems with exponential backoff and
 * jitter. Puts overwrite whole items, so writing the same items again is idempotent.
 * Returns the number of requests written.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  await mapWithConcurrency(batches, BATCH_CONCURRENCY, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_UNPROCESSED_RETRIES) {
        throw new UnprocessedItemsError(`DynamoDB left ${pending.length} items unprocessed after ${MAX_UNPROCESSED_RETRIES} retries`);
      }
      if (attempt > 0) await sleep(50 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  });
  return requests.length;
}

/** Puts whole items (overwriting) in batches; see batchWrite. */
export function putItems(doc: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[]): Promise<number> {
  return batchWrite(doc, tableName, items.map((Item) => ({ PutRequest: { Item } })));
}

/** Deletes items by key in batches; see batchWrite. */
export function deleteItems(doc: DynamoDBDocumentClient, tableName: string, keys: readonly { pk: string; sk: string }[]): Promise<number> {
  return batchWrite(doc, tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
}
