import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { dialectFor } from './dialect.js';
import { CallViewEntity } from './entities/call-view.entity.js';
import { EventEntity } from './event-row.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema.js';
import { LatenessBigint1763900000000 } from './migrations/1763900000000-lateness-bigint.js';
import { CallDeadline1764500000000 } from './migrations/1764500000000-call-deadline.js';
import { HistoryByChange1764600000000 } from './migrations/1764600000000-history-by-change.js';
import { ApiKeys1764700000000 } from './migrations/1764700000000-api-keys.js';
import { ClusterState1764800000000 } from './migrations/1764800000000-cluster-state.js';
import { SealedPositions1764810000000 } from './migrations/1764810000000-sealed-positions.js';
import { CalleeLocalTime1764900000000 } from './migrations/1764900000000-callee-local-time.js';
import { SeriesViews1764950000000 } from './migrations/1764950000000-series-views.js';
import { SeriesViewEntity } from './entities/series-view.entity.js';

export const ENTITIES = [EventEntity, CallViewEntity, IdempotencyKeyEntity, ApiKeyEntity, SeriesViewEntity];
export const MIGRATIONS = [
  InitialSchema1763800000000,
  LatenessBigint1763900000000,
  CallDeadline1764500000000,
  HistoryByChange1764600000000,
  ApiKeys1764700000000,
  ClusterState1764800000000,
  SealedPositions1764810000000,
  CalleeLocalTime1764900000000,
  SeriesViews1764950000000,
];

export interface SqliteTuning {
  // NORMAL survives a killed process (the guarantee we test); FULL also survives power loss.
  synchronous?: 'NORMAL' | 'FULL';
}

/** Opens the database named by DATABASE_URL and brings its schema up to date (migrations, never synchronize). */
export async function openDataSource(url?: string, tuning: SqliteTuning = {}): Promise<DataSource> {
  return initialiseDataSource(databaseOptions(url, tuning));
}

/** The DataSource options for DATABASE_URL: our entities and migrations, never `synchronize`. Throws on an unusable URL. */
export function databaseOptions(url?: string, tuning: SqliteTuning = {}): DataSourceOptions {
  return dataSourceOptions(parseDatabaseUrl(url), tuning);
}

/**
 * Whether a failed start-up is worth another try: a PostgreSQL server not reachable yet (starting,
 * failing over). A wrong password, a bad migration or an SQLite file that cannot be opened will not
 * mend by waiting.
 */
export function isWorthRetryingAtStartup(options: DataSourceOptions, error: unknown): boolean {
  const dialect = dialectFor(options.type);
  return dialect.kind === 'postgres' && dialect.isUnavailable(error);
}

/**
 * Connects and runs the pending migrations under the engine's start-up lock (instances starting
 * together on one PostgreSQL do not race). Used as TypeOrmModule's `dataSourceFactory` by the
 * service and directly by the CLI and tests. A failed attempt closes what it opened.
 */
export async function initialiseDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    await dialectFor(dataSource.options.type).withStartupLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

const PG_POOL = {
  max: 10,
  // Without it a connect to a dead or black-holed server (or a wait for a pool slot) hangs forever;
  // with it the caller gets an error it can classify as "database unavailable" and retry.
  connectionTimeoutMillis: 5000,
  // A server that vanished without closing the socket is noticed by TCP rather than never.
  keepAlive: true,
};

function dataSourceOptions(target: DatabaseTarget, tuning: SqliteTuning) {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false as const };
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres' as const, url: target.url, extra: PG_POOL };
  }
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3' as const,
    database: target.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma(`synchronous = ${tuning.synchronous ?? 'NORMAL'}`);
    },
  };
}
