import { createHash, randomBytes } from 'node:crypto';

/** What a key may do; each role includes the ones before it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when `role` may do what `required` may. */
export const roleAllows = (role: Role, required: Role) => ROLES.indexOf(role) >= ROLES.indexOf(required);

/** Who made a request: the key's name (recorded as the events' actor) and its role. */
export interface Principal {
  name: string;
  role: Role;
  // How it was established: an issued key, AUTH_TOKEN, or nothing (the API is open).
  via: 'key' | 'token' | 'open';
}

/** The actor of everything done with AUTH_TOKEN, which acts as an admin key. */
export const TOKEN_PRINCIPAL: Principal = { name: 'admin', role: 'admin', via: 'token' };
/** With no keys and no AUTH_TOKEN the API is open (loopback, or ALLOW_OPEN_API): anyone may do anything. */
export const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin', via: 'open' };

// Key names end up as actors in the audit trail and in log lines: keep them plain.
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const KEY_NAME_RULE = '1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit';

const KEY_PREFIX = 'csk_';

/** A new secret: 256 random bits, base64url, with a prefix that secret scanners can recognise. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * What is stored instead of the key. A plain SHA-256 is enough here, unlike for passwords: the
 * key is 256 random bits, so there is no dictionary to try and nothing a slow hash (bcrypt,
 * scrypt) would protect better, while a fast hash lets every request be checked with one indexed
 * look-up. The same function hashes AUTH_TOKEN for stream tickets.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
