import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ApiKeyRepository, Database, type ApiKeyRecord } from '#persistence';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { generateApiKey, hashApiKey, isRole, TOKEN_PRINCIPAL, type Principal, type Role } from './api-key.js';

/**
 * How long a key look-up is trusted. Several instances share one PostgreSQL: a key revoked on
 * one must stop working on the others at once, so the cache lives one second at most (on the
 * instance that revokes, the cache is dropped there and then). It still spares the database a
 * look-up per request under load.
 */
export const KEY_CACHE_MS = 1000;

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: 'invalid' | 'revoked' };

export interface IssuedKey {
  name: string;
  role: Role;
  createdAt: string;
  key: string;
}

export interface KeySummary {
  name: string;
  role: string;
  createdAt: string;
  revokedAt: string | null;
}

/** API keys: issue, list, revoke, and check a presented key (AUTH_TOKEN included, as an admin key). */
@Injectable()
export class ApiKeysService {
  private readonly repository: ApiKeyRepository;
  private readonly cache = new Map<string, { at: number; record: ApiKeyRecord | null }>();
  private anyKeysCache: { at: number; value: boolean } | null = null;
  private readonly tokenHash: string | null;

  constructor(
    db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.repository = new ApiKeyRepository(db);
    this.tokenHash = config.authToken ? hashApiKey(config.authToken) : null;
  }

  /**
   * Whether requests must authenticate: AUTH_TOKEN is set or a key was ever issued. A revoked
   * key counts: revoking the last key locks the API rather than opening it.
   */
  async authRequired(): Promise<boolean> {
    if (this.config.authToken) return true;
    const now = this.clock.now().getTime();
    if (this.anyKeysCache && now - this.anyKeysCache.at < KEY_CACHE_MS) return this.anyKeysCache.value;
    const value = await this.repository.any();
    this.anyKeysCache = { at: now, value };
    return value;
  }

  async authenticate(secret: string): Promise<Authentication> {
    if (this.config.authToken && equalSecrets(secret, this.config.authToken)) return { ok: true, principal: TOKEN_PRINCIPAL };
    // Looked up by hash: the comparison happens in the index on the hash, so response times say
    // nothing about the secret.
    const record = await this.lookUp(hashApiKey(secret));
    if (!record || !isRole(record.role)) return { ok: false, reason: 'invalid' };
    if (record.revokedAt) return { ok: false, reason: 'revoked' };
    return { ok: true, principal: { name: record.name, role: record.role, via: 'key' } };
  }

  /**
   * The principal a stream ticket names, as it stands now, with the secret its ticket was signed
   * with (the key's stored hash; for AUTH_TOKEN, its hash): null once the key is revoked.
   */
  async ticketSigner(name: string, via: Principal['via']): Promise<{ principal: Principal; secret: string } | null> {
    if (via === 'token') return this.tokenHash && name === TOKEN_PRINCIPAL.name ? { principal: TOKEN_PRINCIPAL, secret: this.tokenHash } : null;
    if (via !== 'key') return null;
    const record = await this.repository.findLive(name);
    if (!record || !isRole(record.role)) return null;
    return { principal: { name: record.name, role: record.role, via: 'key' }, secret: record.keyHash };
  }

  async create(name: string, role: Role): Promise<IssuedKey> {
    const key = generateApiKey();
    const createdAt = this.clock.now().toISOString();
    await this.repository.create({ name, role, keyHash: hashApiKey(key), createdAt });
    this.anyKeysCache = null;
    return { name, role, createdAt, key };
  }

  async list(): Promise<KeySummary[]> {
    return (await this.repository.list()).map(({ name, role, createdAt, revokedAt }) => ({ name, role, createdAt, revokedAt }));
  }

  /** The revocation time, or null when no live key has this name. */
  async revoke(name: string): Promise<string | null> {
    const at = await this.repository.revoke(name, this.clock.now().toISOString());
    // This instance stops accepting the key now; the others within KEY_CACHE_MS.
    this.cache.clear();
    return at;
  }

  private async lookUp(hash: string): Promise<ApiKeyRecord | null> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < KEY_CACHE_MS) return hit.record;
    const record = await this.repository.findByHash(hash);
    // Only known keys are cached: random wrong keys would fill the map (they are rate-limited instead).
    if (record) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { at: now, record });
    } else {
      this.cache.delete(hash);
    }
    return record;
  }
}

function equalSecrets(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
