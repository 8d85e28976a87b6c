import { newId } from './ids.js';
import { IsNull } from 'typeorm';
import type { Database } from './database.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';

export interface ApiKeyRecord {
  name: string;
  role: string;
  keyHash: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A live key already has this name (one live key per name; revoke it first). */
export class ApiKeyNameTakenError extends Error {
  constructor(readonly keyName: string) {
    super(`an API key named "${keyName}" already exists; revoke it first`);
    this.name = 'ApiKeyNameTakenError';
  }
}

/** The api_keys table. Secrets never reach it: callers pass the key's hash. */
export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  create(key: { name: string; role: string; keyHash: string; createdAt: string }): Promise<ApiKeyRecord> {
    // Through write(): on SQLite it takes its turn with the appends; the check and the insert are
    // one transaction, and the partial unique index settles a race between instances.
    return this.db.write(async (m) => {
      if (await m.findOne(ApiKeyEntity, { where: { name: key.name, revokedAt: IsNull() } })) throw new ApiKeyNameTakenError(key.name);
      const row = m.create(ApiKeyEntity, { id: newId(), ...key, revokedAt: null });
      await m.insert(ApiKeyEntity, row);
      return toRecord(row);
    });
  }

  /** The key with this hash, revoked or not (the caller tells the two apart); null when unknown. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.db.read(async (m) => {
      const row = await m.findOne(ApiKeyEntity, { where: { keyHash } });
      return row ? toRecord(row) : null;
    });
  }

  findLive(name: string): Promise<ApiKeyRecord | null> {
    return this.db.read(async (m) => {
      const row = await m.findOne(ApiKeyEntity, { where: { name, revokedAt: IsNull() } });
      return row ? toRecord(row) : null;
    });
  }

  /** Every key ever issued, oldest first. */
  list(): Promise<ApiKeyRecord[]> {
    return this.db.read(async (m) => (await m.find(ApiKeyEntity, { order: { createdAt: 'ASC', id: 'ASC' } })).map(toRecord));
  }

  /** Revokes the live key with this name; the revocation time, or null when there is none. */
  revoke(name: string, at: string): Promise<string | null> {
    return this.db.write(async (m) => {
      const result = await m.update(ApiKeyEntity, { name, revokedAt: IsNull() }, { revokedAt: at });
      return (result.affected ?? 0) > 0 ? at : null;
    });
  }

  /** Whether any key was ever issued (revoked ones count: revoking the last key must not open the API). */
  async any(): Promise<boolean> {
    return this.db.read(async (m) => (await m.count(ApiKeyEntity, { take: 1 })) > 0);
  }
}

function toRecord(row: ApiKeyEntity): ApiKeyRecord {
  return { name: row.name, role: row.role, keyHash: row.keyHash, createdAt: row.createdAt, revokedAt: row.revokedAt ?? null };
}
