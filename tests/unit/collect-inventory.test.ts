import { describe, expect, it } from "vitest";
import { collectInventory } from "@/lib/use-cases/collect-inventory";
import type { FunctionConfig, FunctionSummary } from "@/lib/domain/inventory/function-config";
import type { FunctionInventorySource, UnreadableFunction } from "@/lib/ports/function-inventory-source";
import { aFunction } from "@/tests/builders/function-config";
import { aCollectorContext } from "@/tests/builders/collector-context";
import { InMemoryFunctionStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

const T0 = Date.UTC(2026, 10, 26, 12);
const MIN = 60_000;

function summaryOf(f: FunctionConfig): FunctionSummary {
  const { tags: _t, reservedConcurrency: _r, provisionedConcurrency: _p, aliases: _a, versions: _v, collectedAtMs: _c, detailsCollectedAtMs: _d, ...summary } = f;
  return summary;
}

class FakeSource implements FunctionInventorySource {
  readonly accountId = "123456789012";
  readonly region = "us-east-1";
  described: string[] = [];
  unreadable: UnreadableFunction[] = [];
  constructor(public listed: FunctionConfig[]) {}
  async listFunctions() {
    return { functions: this.listed.map(summaryOf), unreadable: this.unreadable };
  }
  async describeFunction(summary: FunctionSummary) {
    this.described.push(summary.functionName);
    const f = this.listed.find((l) => l.functionName === summary.functionName)!;
    return { tags: f.tags, reservedConcurrency: f.reservedConcurrency, provisionedConcurrency: f.provisionedConcurrency, aliases: f.aliases, versions: f.versions };
  }
  async getAccountConcurrency(nowMs: number) {
    return { accountId: this.accountId, region: this.region, concurrentExecutionsLimit: 1000, unreservedConcurrentExecutions: 900, functionCount: this.listed.length, collectedAtMs: nowMs };
  }
}

function setup(listed: FunctionConfig[]) {
  return { source: new FakeSource(listed), functions: new InMemoryFunctionStore(), watermarks: new InMemoryWatermarkStore() };
}

describe("collectInventory", () => {
  it("stores every function with its details and the account's concurrency, and marks the ones that disappeared", async () => {
    const deps = setup([aFunction({ functionName: "a", reservedConcurrency: 10 }), aFunction({ functionName: "b" })]);
    const first = await collectInventory(deps, aCollectorContext({ nowMs: T0 }));
    expect(first.note).toBe("2 functions (2 described)");
    expect((await deps.functions.listFunctions()).find((f) => f.functionName === "a")?.reservedConcurrency).toBe(10);
    expect(await deps.functions.listAccountConcurrency()).toEqual([expect.objectContaining({ concurrentExecutionsLimit: 1000, unreservedConcurrentExecutions: 900 })]);

    deps.source.listed = [aFunction({ functionName: "b", memoryMb: 2048 })];
    const second = await collectInventory(deps, aCollectorContext({ nowMs: T0 + 5 * MIN }));
    expect(second.note).toBe("1 functions (0 described, 1 removed)");
    expect(await deps.functions.listFunctions()).toEqual([expect.objectContaining({ functionName: "b", memoryMb: 2048 })]);
    expect(deps.functions.items.get("123456789012#us-east-1#a")?.removedAtMs).toBe(T0 + 5 * MIN);
    expect((await deps.watermarks.get("inventory", "123456789012", "us-east-1"))?.throughMs).toBe(T0 + 5 * MIN);
  });

  it("re-reads details only for new or changed functions, and hourly otherwise", async () => {
    const deps = setup([aFunction({ functionName: "a" }), aFunction({ functionName: "b" })]);
    await collectInventory(deps, aCollectorContext({ nowMs: T0 }));
    deps.source.described = [];
    deps.source.listed = [aFunction({ functionName: "a", revisionId: "rev-2", tags: { team: "new" } }), aFunction({ functionName: "b", tags: { team: "changed-without-revision" } })];
    await collectInventory(deps, aCollectorContext({ nowMs: T0 + 5 * MIN }));
    expect(deps.source.described).toEqual(["a"]);
    const stored = await deps.functions.listFunctions();
    expect(stored.find((f) => f.functionName === "a")?.tags).toEqual({ team: "new" });
    // b's tag change shows within the hour, when its details are re-read.
    expect(stored.find((f) => f.functionName === "b")?.tags).toEqual(aFunction().tags);
    deps.source.described = [];
    await collectInventory(deps, aCollectorContext({ nowMs: T0 + 60 * MIN }));
    expect(deps.source.described).toEqual(["b"]);
    expect((await deps.functions.listFunctions()).find((f) => f.functionName === "b")?.tags).toEqual({ team: "changed-without-revision" });
  });

  it("skips a function whose configuration cannot be read, with a warning, and keeps its stored record", async () => {
    const deps = setup([aFunction({ functionName: "a" }), aFunction({ functionName: "b" })]);
    await collectInventory(deps, aCollectorContext({ nowMs: T0 }));
    deps.source.listed = [aFunction({ functionName: "a" })];
    deps.source.unreadable = [{ functionName: "b", reason: "MemorySize: must be at most 10240" }];
    const ctx = aCollectorContext({ nowMs: T0 + MIN });
    await collectInventory(deps, ctx);
    expect(ctx.warnings).toEqual(["skipped function b: unexpected configuration (MemorySize: must be at most 10240)"]);
    expect((await deps.functions.listFunctions()).map((f) => f.functionName).sort()).toEqual(["a", "b"]);
  });

  it("fails without touching stored functions when Lambda refuses, leaving the watermark where it was", async () => {
    const deps = setup([aFunction({ functionName: "a" })]);
    await collectInventory(deps, aCollectorContext({ nowMs: T0 }));
    deps.source.listFunctions = async () => {
      throw new Error("AccessDeniedException: not authorized to perform lambda:ListFunctions");
    };
    await expect(collectInventory(deps, aCollectorContext({ nowMs: T0 + MIN }))).rejects.toThrow(/AccessDenied/);
    expect(await deps.functions.listFunctions()).toHaveLength(1);
    expect((await deps.watermarks.get("inventory", "123456789012", "us-east-1"))?.throughMs).toBe(T0);
  });
});
