import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { FailureWindow, SignInThrottlePolicy } from "@/lib/domain/access/sign-in-throttle";
import type { SignInThrottleStore } from "@/lib/ports/stores";
import { SIGN_IN_THROTTLE_SK, signInThrottlePk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";

const WindowItemSchema = z.object({ windowStartMs: z.number(), failures: z.number().int().positive() });

/** Concurrent writers can each lose a condition once; more than this many in a row is a bug. */
const MAX_ATTEMPTS = 5;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}

/**
 * Failed sign-in windows in the table, one item per throttle key, so every console instance
 * (several Lambda sandboxes in AWS) counts the same failures. Counting is atomic without
 * transactions: ADD to an open window under a condition that it is open; when that fails, open
 * a new window under a condition that none is open. Items carry `expiresAt` (the window's end)
 * for DynamoDB TTL; a stale item that TTL has not removed yet is a closed window to the policy.
 */
export class DynamoSignInThrottleStore implements SignInThrottleStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(keys: readonly string[]): Promise<(FailureWindow | null)[]> {
    return Promise.all(
      keys.map(async (key) => {
        const { Item } = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: { pk: signInThrottlePk(key), sk: SIGN_IN_THROTTLE_SK }, ConsistentRead: true }),
        );
        return Item ? parseItem(WindowItemSchema, Item) : null;
      }),
    );
  }

  async recordFailure(key: string, nowMs: number, policy: SignInThrottlePolicy): Promise<FailureWindow> {
    const Key = { pk: signInThrottlePk(key), sk: SIGN_IN_THROTTLE_SK };
    // A window is open at nowMs while windowStartMs > nowMs − windowMs (sign-in-throttle.ts, isWindowOpen).
    const openAfterMs = nowMs - policy.windowMs;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const { Attributes } = await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: "ADD failures :one",
            ConditionExpression: "attribute_exists(pk) AND windowStartMs > :openAfter",
            ExpressionAttributeValues: { ":one": 1, ":openAfter": openAfterMs },
            ReturnValues: "ALL_NEW",
          }),
        );
        return parseItem(WindowItemSchema, Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      try {
        const window = { windowStartMs: nowMs, failures: 1 };
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, ...window, expiresAt: Math.ceil((nowMs + policy.windowMs) / 1000) },
            ConditionExpression: "attribute_not_exists(pk) OR windowStartMs <= :openAfter",
            ExpressionAttributeValues: { ":openAfter": openAfterMs },
          }),
        );
        return window;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Another instance opened a window between the two writes: count into it.
      }
    }
    throw new Error(`could not record a failed sign-in for ${key} after ${MAX_ATTEMPTS} attempts (conditional writes kept conflicting)`);
  }

  async clear(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: signInThrottlePk(key), sk: SIGN_IN_THROTTLE_SK } }));
  }
}
