import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Temporary credentials the simulated STS issues, and who a request comes from.
 *
 * AWS decides the account a request acts in from its credentials, and so does the simulator:
 * the access key id in the SigV4 `Credential=` scope. Keys the simulator issued (AssumeRole)
 * name their account in the key itself — `ASIA` + the 12-digit account id + 4 characters, 20
 * in all like a real key — and carry a session token that names the role and session. Both
 * are decoded statelessly, so credentials stay valid across a simulator restart. Any other
 * key (`test`, `sightline-local`, `AKIDEXAMPLE`, a real `AKIA…`) is a static key of the
 * primary account, which is what keeps single-account use working with any credentials.
 */

/** `ASIA` + account id + 4 base32 characters. A real ASIA key never has 12 digits in a row there. */
const SESSION_ACCESS_KEY = /^ASIA(\d{12})[A-Z2-7]{4}$/;
/** The opaque-looking prefix of the simulator's session tokens (real ones are long base64). */
const SESSION_TOKEN_PREFIX = "SimSTS1.";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const CREDENTIAL_ACCESS_KEY = /Credential=([^/,\s]+)\//;

/** What a session token says about its session. */
export interface SessionClaims {
  accessKeyId: string;
  accountId: string;
  /** IAM role name assumed. */
  roleName: string;
  sessionName: string;
  /** When the session ends (epoch ms, the simulator's clock). */
  expirationMs: number;
}

const SessionTokenSchema = z.strictObject({
  v: z.literal(1),
  k: z.string(),
  a: z.string().regex(/^\d{12}$/),
  r: z.string().min(1),
  s: z.string().min(1),
  e: z.number().int(),
});

/** Credentials as AssumeRole returns them. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * Temporary credentials for a role session. Deterministic: the same account, role, session
 * name and expiration give the same keys.
 */
export function issueSessionCredentials(session: Omit<SessionClaims, "accessKeyId">): SessionCredentials {
  const identity = `${session.accountId}\n${session.roleName}\n${session.sessionName}\n${session.expirationMs}`;
  const accessKeyId = `ASIA${session.accountId}${base32(sha256(`key\n${identity}`)).slice(0, 4)}`;
  const secretAccessKey = sha256(`secret\n${identity}`).toString("base64").slice(0, 40);
  const payload = { v: 1, k: accessKeyId, a: session.accountId, r: session.roleName, s: session.sessionName, e: session.expirationMs };
  const sessionToken = SESSION_TOKEN_PREFIX + Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** The claims of a session token the simulator issued; undefined for anything else. */
export function decodeSessionToken(token: string | undefined): SessionClaims | undefined {
  if (token === undefined || !token.startsWith(SESSION_TOKEN_PREFIX)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token.slice(SESSION_TOKEN_PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = SessionTokenSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { k, a, r, s, e } = parsed.data;
  return { accessKeyId: k, accountId: a, roleName: r, sessionName: s, expirationMs: e };
}

/** The access key id of a SigV4 `authorization` header, if any. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return CREDENTIAL_ACCESS_KEY.exec(authorization ?? "")?.[1];
}

/** The account a simulator-issued session key names; undefined for any other key. */
export function sessionKeyAccount(accessKeyId: string): string | undefined {
  return SESSION_ACCESS_KEY.exec(accessKeyId)?.[1];
}

/** Who sent a request. */
export type Caller =
  /** Static (non-simulator) credentials, or none: the primary account's own IAM user. */
  | { kind: "static"; accountId: string; accessKeyId: string | undefined }
  /** A role session issued by the simulated STS. */
  | { kind: "session"; accountId: string; accessKeyId: string; roleName: string; sessionName: string; expirationMs: number };

/** The outcome of identifying a caller: refused requests get the protocol's auth error with `message`. */
export type CallerIdentification = { ok: true; caller: Caller } | { ok: false; message: string };

/** The accounts a simulator hosts, as the caller check needs them. */
export interface HostedDirectory {
  primaryAccountId: string;
  /** Every hosted account id, the primary first (for messages). */
  accountIds: readonly string[];
  /** The role a member account declares; undefined for the primary and for accounts not hosted. */
  memberRole(accountId: string): string | undefined;
  /** The ExternalId a member's role requires; undefined when it requires none (or the account is not a member). */
  memberExternalId(accountId: string): string | undefined;
}

const INVALID_TOKEN = "The security token included in the request is invalid";

/**
 * Decides the account a request acts in from its credentials (see the module comment).
 * Sessions are not expired: the simulator reports an Expiration but keeps honouring the keys,
 * so a test clock and the SDK's clock need not agree.
 */
export function identifyCaller(headers: Readonly<Record<string, string | undefined>>, hosted: HostedDirectory): CallerIdentification {
  const accessKeyId = accessKeyIdOf(headers.authorization);
  const accountId = accessKeyId === undefined ? undefined : sessionKeyAccount(accessKeyId);
  if (accessKeyId === undefined || accountId === undefined) {
    return { ok: true, caller: { kind: "static", accountId: hosted.primaryAccountId, accessKeyId } };
  }
  const roleName = hosted.memberRole(accountId);
  if (roleName === undefined) {
    const which = hosted.accountIds.includes(accountId) ? "which has no role to assume" : "which this simulator does not host";
    return { ok: false, message: `${INVALID_TOKEN}: access key ${accessKeyId} names account ${accountId}, ${which} (it hosts ${hosted.accountIds.join(", ")}).` };
  }
  const token = headers["x-amz-security-token"];
  if (token === undefined || token === "") {
    return { ok: false, message: `${INVALID_TOKEN}: temporary access key ${accessKeyId} was sent without its session token.` };
  }
  const claims = decodeSessionToken(token);
  if (claims === undefined || claims.accessKeyId !== accessKeyId || claims.accountId !== accountId) {
    return { ok: false, message: `${INVALID_TOKEN}: the session token does not belong to access key ${accessKeyId}.` };
  }
  if (claims.roleName !== roleName) {
    return { ok: false, message: `${INVALID_TOKEN}: the session was issued for role ${claims.roleName}, which account ${accountId} no longer declares.` };
  }
  return {
    ok: true,
    caller: { kind: "session", accountId, accessKeyId, roleName, sessionName: claims.sessionName, expirationMs: claims.expirationMs },
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** RFC 4648 base32 without padding (the alphabet of AWS key ids). */
export function base32(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    // Only the bits not yet written matter (at most 12).
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A deterministic IAM-style unique id (`AIDA…` for users, `AROA…` for roles): prefix + 17 characters. */
export function uniqueId(prefix: string, of: string): string {
  return prefix + base32(sha256(`id\n${of}`)).slice(0, 17);
}
