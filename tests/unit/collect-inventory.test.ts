import { describe, expect, it } from "vitest";
import { collectInventory } from "@/lib/use-cases/collect-inventory";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { aFunction } from "@/tests/builders/function-config";
import { InMemoryFunctionStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

function sourceOf(list: () => FunctionConfig[]) {
  return { accountId: "123456789012", region: "us-east-1", listFunctions: async () => list() };
}

describe("collectInventory", () => {
  it("stores every function and marks the ones that disappeared as removed", async () => {
    const functions = new InMemoryFunctionStore();
    const watermarks = new InMemoryWatermarkStore();
    let listed = [aFunction({ functionName: "a" }), aFunction({ functionName: "b" })];
    await collectInventory({ source: sourceOf(() => listed), functions, watermarks }, 1000);
    expect((await functions.listFunctions()).map((f) => f.functionName).sort()).toEqual(["a", "b"]);

    listed = [aFunction({ functionName: "b", memoryMb: 2048 })];
    const result = await collectInventory({ source: sourceOf(() => listed), functions, watermarks }, 2000);
    expect(result).toEqual({ functionCount: 1, removedCount: 1 });
    expect(await functions.listFunctions()).toEqual([expect.objectContaining({ functionName: "b", memoryMb: 2048 })]);
    expect(functions.items.get("123456789012#us-east-1#a")?.removedAtMs).toBe(2000);
  });

  it("records a failure on the watermark without losing the last success", async () => {
    const functions = new InMemoryFunctionStore();
    const watermarks = new InMemoryWatermarkStore();
    await collectInventory({ source: sourceOf(() => [aFunction()]), functions, watermarks }, 1000);
    const failing = sourceOf(() => {
      throw new Error("AccessDeniedException: not authorized to perform lambda:ListFunctions");
    });
    await expect(collectInventory({ source: failing, functions, watermarks }, 2000)).rejects.toThrow(/AccessDenied/);
    expect(await watermarks.get("inventory", "123456789012", "us-east-1")).toMatchObject({
      lastSuccessMs: 1000,
      lastAttemptMs: 2000,
      lastError: expect.stringMatching(/AccessDenied/),
    });
    expect(await functions.listFunctions()).toHaveLength(1);
  });
});
