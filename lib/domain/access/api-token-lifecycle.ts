import { z } from "zod";

/** Where a stored API token stands at an instant. */
export type ApiTokenStatus = "active" | "expired" | "revoked";

/** The parts of a stored token its status depends on. */
export interface ApiTokenDates {
  expiresAtMs?: number | undefined;
  revokedAtMs?: number | undefined;
}

/** Revoked wins over expired (it is the decision someone took); a token expires at expiresAtMs itself. */
export function apiTokenStatus(token: ApiTokenDates, nowMs: number): ApiTokenStatus {
  if (token.revokedAtMs !== undefined) return "revoked";
  if (token.expiresAtMs !== undefined && nowMs >= token.expiresAtMs) return "expired";
  return "active";
}

const DAY_MS = 86_400_000;
const UNIT_MS = { h: 3_600_000, d: DAY_MS } as const;
/** Longest lifetime `--expires-in` accepts: two years (a longer-lived token should simply not expire). */
const MAX_LIFETIME_MS = 730 * DAY_MS;

/** A token lifetime as the CLI takes it: a whole number of hours or days, `12h` or `90d`. */
export const TokenLifetimeSchema = z
  .string()
  .regex(/^[1-9]\d{0,5}[hd]$/, "must be a whole number of hours or days, e.g. 12h or 90d")
  .transform((raw) => Number(raw.slice(0, -1)) * UNIT_MS[raw.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms <= MAX_LIFETIME_MS, "must be at most 730d");

/**
 * What may be shown of a token after it was minted: the first 8 hex digits of its sha256 (the
 * stored key), enough to tell two tokens of the same name apart and useless for signing in.
 */
export function tokenHashPrefix(tokenHash: string): string {
  return tokenHash.slice(0, 8);
}

/** The rule for token names: what the CLI and `revoke <name>` accept. */
export const TokenNameSchema = z.string().regex(/^[\w.@-]{1,64}$/, "must be 1-64 letters, digits, or _ . @ -");
