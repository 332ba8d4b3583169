import { randomBytes, scrypt, timingSafeEqual, createHash } from "node:crypto";
import type { PasswordHasher } from "@/lib/ports/password-hasher";

const KEY_LENGTH = 32;
const N = 16384;
const R = 8;
const P = 1;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** scrypt with a 16-byte random salt; the hash string records its parameters. */
export class ScryptPasswordHasher implements PasswordHasher {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, N, R, P);
    return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("hex")}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    const [scheme, n, r, p, salt, expectedHex] = hash.split("$");
    if (scheme !== "scrypt" || !n || !r || !p || !salt || !expectedHex) return false;
    const expected = Buffer.from(expectedHex, "hex");
    const key = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
    return expected.length === key.length && timingSafeEqual(expected, key);
  }
}

/** API tokens are long random strings, so a fast hash is enough to store them safely. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new API token: a recognisable prefix and 32 random bytes. */
export function generateApiToken(): string {
  return `sl_${randomBytes(32).toString("base64url")}`;
}

/** A generated admin password: 18 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
