import { createHash } from "node:crypto";
import { z } from "zod";
import { XRayRequestError } from "./xray-errors";

/**
 * Opaque, deterministic NextTokens: base64url JSON of the position, the clock the first page
 * used (so a minute published between two pages cannot shift the walk) and a hash of the
 * request, so a token is only accepted by the request it came from.
 */

/** Hash of everything in a request that must stay the same from page to page. */
export function requestHash(parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

const TokenSchema = z.object({
  v: z.literal(1),
  hash: z.string(),
  nowMs: z.number(),
  position: z.array(z.number().int()),
});

/** A decoded token: the position (numbers, meaning up to the operation) and the first page's clock. */
export interface PageToken {
  position: number[];
  nowMs: number;
}

/** Encodes a NextToken for the request with hash `hash`. */
export function encodePageToken(token: PageToken, hash: string): string {
  return Buffer.from(JSON.stringify({ v: 1, hash, nowMs: token.nowMs, position: token.position })).toString("base64url");
}

/**
 * Decodes a NextToken of the request with hash `hash`.
 * @throws XRayRequestError when the token is not one of ours or belongs to another request.
 */
export function decodePageToken(text: string, hash: string, positionLength: number): PageToken {
  const invalid = new XRayRequestError("The NextToken is invalid or belongs to a different request.");
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  const parsed = TokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.hash !== hash || parsed.data.position.length !== positionLength) throw invalid;
  return { position: parsed.data.position, nowMs: parsed.data.nowMs };
}
