import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { Database, EventStore, openDataSource } from '../../libs/persistence/src/index.js';

// Trust auth on the local cluster; start it with
//   pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
export const PG_SERVER_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface PgDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database of its own, so runs never see each other's rows. */
export async function createPgDatabase(): Promise<PgDatabase> {
  const name = `cs_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** The local test cluster's version directory, e.g. "15" (one cluster is installed). */
function pgCluster(): string {
  return readdirSync('/etc/postgresql')[0];
}

/**
 * Stops or starts the whole PostgreSQL server (fast shutdown: sessions are terminated), as an
 * outage or a restart does to every client. Other test databases on the server see it too.
 */
export function pgServer(action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', pgCluster(), 'main', action], { stdio: 'pipe' });
}

/** Starts the server unless it is running (a test that stopped it must leave it running, even when it fails). */
export function ensurePgServerRunning(): void {
  const status = spawnSync('pg_ctlcluster', [pgCluster(), 'main', 'status'], { stdio: 'pipe' });
  if (status.status !== 0) pgServer('start');
}

/** What `freshPgStorePerTest` hands each test: its own database, opened and migrated. */
export interface PgStore {
  pg: PgDatabase;
  ds: DataSource;
  db: Database;
  store: EventStore;
}

/**
 * Registers beforeEach/afterEach hooks that give every test of the enclosing describe a fresh
 * database of its own, migrated, with the persistence objects over it; read `current()` in the test.
 */
export function freshPgStorePerTest(): { current(): PgStore } {
  let current: PgStore | undefined;
  beforeEach(async () => {
    const pg = await createPgDatabase();
    const ds = await openDataSource(pg.url);
    const db = new Database(ds);
    current = { pg, ds, db, store: new EventStore(db) };
  }, 60_000);
  afterEach(async () => {
    await current?.db.close();
    await current?.pg.drop();
    current = undefined;
  }, 60_000);
  return {
    current: () => {
      if (!current) throw new Error('freshPgStorePerTest: read current() inside a test');
      return current;
    },
  };
}
