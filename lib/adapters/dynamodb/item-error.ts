import type { z } from "zod";

/** An item read back from the table does not have the shape this code wrote. */
export class StoredItemError extends Error {
  override readonly name = "StoredItemError";
  constructor(pk: unknown, sk: unknown, issues: z.core.$ZodIssue[]) {
    super(
      `stored item ${String(pk)} / ${String(sk)} is malformed: ` +
        issues.map((i) => `${i.path.join(".") || "(item)"}: ${i.message}`).join("; "),
    );
  }
}

/** Parses one item read back with its schema, naming the item and the field on failure. */
export function parseItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  const parsed = schema.safeParse(item);
  if (!parsed.success) throw new StoredItemError(item.pk, item.sk, parsed.error.issues);
  return parsed.data;
}
