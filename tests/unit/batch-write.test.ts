import { describe, expect, it } from "vitest";
import { batchWrite, UnprocessedItemsError } from "@/lib/adapters/dynamodb/batch-write";

type Request = { PutRequest: { Item: Record<string, unknown> } };

/** A document client whose BatchWriteItem leaves the first `unprocessed` requests of each call unprocessed, `times` times. */
function throttlingDoc(unprocessed: number, times: number) {
  const calls: number[] = [];
  const written: unknown[] = [];
  let left = times;
  return {
    calls,
    written,
    doc: {
      send: async (command: { input: { RequestItems: Record<string, Request[]> } }) => {
        const requests = command.input.RequestItems.t!;
        calls.push(requests.length);
        const keep = left > 0 ? requests.slice(0, unprocessed) : [];
        if (left > 0) left -= 1;
        written.push(...requests.slice(keep.length).map((r) => r.PutRequest.Item.id));
        return { UnprocessedItems: keep.length > 0 ? { t: keep } : {} };
      },
    },
  };
}

const puts = (n: number): Request[] => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { id: i } } }));
const noSleep = async () => {};

describe("batchWrite", () => {
  it("writes in batches of 25 and retries UnprocessedItems until every item is written", async () => {
    const fake = throttlingDoc(3, 2);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(await batchWrite(fake.doc as any, "t", puts(60), noSleep)).toBe(60);
    expect(fake.written.slice().sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // 3 batches (25, 25, 10) plus two retries of 3 items each.
    expect(fake.calls.filter((n) => n === 3)).toHaveLength(2);
    expect(fake.calls.filter((n) => n > 3).sort()).toEqual([10, 25, 25]);
  });

  it("gives up with a clear error when DynamoDB keeps items unprocessed", async () => {
    const fake = throttlingDoc(1, 100);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await expect(batchWrite(fake.doc as any, "t", puts(1), noSleep)).rejects.toThrow(UnprocessedItemsError);
  });
});
