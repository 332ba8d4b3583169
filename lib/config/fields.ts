import { z } from "zod";
import { AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";

/** Shared field schemas: each environment variable parses the same way in every runtime. */
export const port = (fallback: number) =>
  z.coerce.number({ error: "must be a port number 1-65535" }).int("must be a whole number").min(1, "must be 1-65535").max(65535, "must be 1-65535").default(fallback);

export const url = z.url({ protocol: /^https?$/, message: "must be an http(s) URL like http://127.0.0.1:4566" });
export const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), url.optional());
export const region = RegionSchema.default("us-east-1");
export const optionalAccountId = z.preprocess((v) => (v === "" ? undefined : v), AccountIdSchema.optional());
export const tableName = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{3,255}$/, "must be 3-255 characters of letters, digits, _ . -")
  .default("sightline");
export const positiveInt = (fallback: number, max: number) =>
  z.coerce.number({ error: `must be a whole number 1-${max}` }).int("must be a whole number").min(1, `must be 1-${max}`).max(max, `must be 1-${max}`).default(fallback);

/** Tag keys that allocate cost (Cost Explorer GroupBy TAG), comma-separated: COST_ALLOCATION_TAG_KEYS. */
export const costAllocationTagKeys = z
  .string()
  .default("team,service,env")
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.:/=+@ -]{1,128}$/, "each tag key must be 1-128 characters")).min(1, "name at least one tag key"));
