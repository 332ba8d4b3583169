import { describe, expect, it } from "vitest";
import { layoutMap, NODE_HEIGHT, NODE_WIDTH } from "@/app/(console)/map/map-layout";

describe("the map layout", () => {
  it("places callers left of what they call and never overlaps two cards", () => {
    const nodes = ["client", "stage", "a", "b", "c", "table", "remote"].map((id) => ({ id }));
    const edges = [
      ["client", "stage"],
      ["stage", "a"],
      ["stage", "b"],
      ["stage", "c"],
      ["a", "table"],
      ["b", "table"],
      ["c", "remote"],
      ["c", "c"], // a self-call does not break the layout
    ].map(([fromId, toId]) => ({ fromId: fromId!, toId: toId! }));
    const positions = layoutMap(nodes, edges);
    expect(positions.size).toBe(nodes.length);
    for (const { fromId, toId } of edges) {
      if (fromId !== toId) expect(positions.get(fromId)!.x).toBeLessThan(positions.get(toId)!.x);
    }
    const boxes = [...positions.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const overlapX = Math.abs(boxes[i]!.x - boxes[j]!.x) < NODE_WIDTH;
        const overlapY = Math.abs(boxes[i]!.y - boxes[j]!.y) < NODE_HEIGHT;
        expect(overlapX && overlapY).toBe(false);
      }
    }
  });
});

describe("the map layout of a fleet that falls apart into pieces", () => {
  // One connected API (stage → 3 functions → table) and 40 services nobody calls through a traced path.
  const connected = ["stage", "f1", "f2", "f3", "table"];
  const loners = Array.from({ length: 40 }, (_, i) => `worker-${i}`);
  const nodes = [...loners, ...connected].map((id) => ({ id }));
  const edges = [
    ["stage", "f1"],
    ["stage", "f2"],
    ["stage", "f3"],
    ["f1", "table"],
    ["f2", "table"],
  ].map(([fromId, toId]) => ({ fromId: fromId!, toId: toId! }));
  const positions = layoutMap(nodes, edges);
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  const width = Math.max(...xs) + NODE_WIDTH - Math.min(...xs);
  const height = Math.max(...ys) + NODE_HEIGHT - Math.min(...ys);

  it("packs the pieces into a screen-shaped block instead of one tall column", () => {
    // Stacked in one column the 45 cards would be ~20 times taller than wide.
    expect(width / height).toBeGreaterThan(0.8);
    expect(width / height).toBeLessThan(4);
  });

  it("keeps every card apart and callers left of what they call", () => {
    const boxes = [...positions.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(Math.abs(boxes[i]!.x - boxes[j]!.x) < NODE_WIDTH && Math.abs(boxes[i]!.y - boxes[j]!.y) < NODE_HEIGHT).toBe(false);
      }
    }
    for (const { fromId, toId } of edges) expect(positions.get(fromId)!.x).toBeLessThan(positions.get(toId)!.x);
  });

  it("puts the biggest connected piece first, at the top left", () => {
    expect(positions.get("stage")).toEqual({ x: 0, y: expect.any(Number) });
    expect(positions.get("stage")!.y).toBeLessThan(NODE_HEIGHT * 3);
  });
});
