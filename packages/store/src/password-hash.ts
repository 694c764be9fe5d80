/**
 * Password hashing for console logins: scrypt (RFC 7914) through Node's built-in `node:crypto`,
 * with a random 16-byte salt per password and the parameters stored with the hash, in the PHC
 * string format (`$scrypt$ln=15,r=8,p=3$<salt>$<hash>`, base64 without padding), so that stronger
 * parameters can be adopted later without invalidating stored hashes (`needsRehash`).
 *
 * Why scrypt: it is memory-hard (an attacker's GPU or ASIC pays in memory for every guess), it is
 * one of the password hashes OWASP's Password Storage Cheat Sheet recommends, and it ships with
 * Node (OpenSSL's implementation), so no native add-on has to be built or trusted, unlike argon2
 * bindings. Parameters follow the cheat sheet's equivalent settings for scrypt: N = 2^15 (32 MiB),
 * r = 8, p = 3 (the same work as its N = 2^17, p = 1 setting at a quarter of the memory). The hash
 * runs on libuv's thread pool (async `scrypt`), so a login never blocks the event loop.
 *
 * Verification recomputes the hash with the stored parameters and compares with `timingSafeEqual`.
 * `DUMMY_PASSWORD_HASH` lets a login for an unknown user spend the same time as one for a known
 * user, so the answer time does not tell whether a username exists.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  readonly ln: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet, scrypt: N = 2^15, r = 8, p = 3 (32 MiB, ~0.2 s here). */
export const SCRYPT_PARAMETERS: ScryptParameters = { ln: 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Upper bounds accepted when reading a stored hash (refuses a hash crafted to exhaust memory). */
const MAX_LN = 20;
const MAX_R = 16;
const MAX_P = 16;

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  params: ScryptParameters,
): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keylen,
      // scrypt needs 128·N·r·p bytes (plus a little); Node's default ceiling is 32 MiB.
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 },
      (err, key) => (err === null ? resolve(key) : reject(err)),
    );
  });
}

/** Hashes a password with a fresh salt; returns the PHC string to store. */
export async function hashPassword(
  password: string,
  params: ScryptParameters = SCRYPT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, HASH_BYTES, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  readonly params: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    stored,
  );
  if (m === null) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (
    params.ln < 1 ||
    params.ln > MAX_LN ||
    params.r < 1 ||
    params.r > MAX_R ||
    params.p < 1 ||
    params.p > MAX_P
  )
    return null;
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params, salt, key };
}

/** Whether `password` matches the stored PHC string (false for a malformed one). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const key = await scryptAsync(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made with weaker parameters than today's (rehash at the next login). */
export function needsRehash(stored: string, params: ScryptParameters = SCRYPT_PARAMETERS): boolean {
  const parsed = parseHash(stored);
  if (parsed === null) return true;
  const work = (q: ScryptParameters) => 2 ** q.ln * q.r * q.p;
  return work(parsed.params) < work(params);
}

/**
 * A hash of no password anyone knows, verified against when a login names an unknown user (or a
 * user without a password), so that such a login costs the same scrypt time as a real one.
 */
export const DUMMY_PASSWORD_HASH = `$scrypt$ln=${SCRYPT_PARAMETERS.ln},r=${SCRYPT_PARAMETERS.r},p=${SCRYPT_PARAMETERS.p}$${b64(randomBytes(SALT_BYTES))}$${b64(randomBytes(HASH_BYTES))}`;
