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
