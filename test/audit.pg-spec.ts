import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { exportLog, replayProjection, verifyDatabase, verifyFile } from '../libs/persistence/src/audit/index.js';
import { generateCalls } from '../libs/testing/src/index.js';
import { Database, openDataSource } from '../libs/persistence/src/index.js';

// The audit commands on PostgreSQL: the same portable SQL as on SQLite (trust auth on the local cluster).
const SERVER_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `cs_audit_${randomBytes(6).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let db: Database;
let dir: string;
beforeAll(async () => {
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  db = new Database(await openDataSource(url.toString()));
  dir = await mkdtemp(join(tmpdir(), 'call-scheduler-audit-pg-'));
}, 30_000);
afterAll(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('audit on PostgreSQL', () => {
  it('generates a log whose chain verifies, exports it, and replays it to the live projection', async () => {
    const generated = await generateCalls(db, { events: 5000, seed: 9, start: new Date('2026-03-01T09:00:00Z') });
    expect(generated).toMatchObject({ events: 5000, rejected: 0 });
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 5000, headHash: generated.headHash });
    await expect(replayProjection(db)).resolves.toMatchObject({ events: 5000, differences: 0, anomalies: 0, replayedRows: generated.calls });

    const file = join(dir, 'log.ndjson');
    const out = createWriteStream(file);
    await expect(exportLog(db, out)).resolves.toBe(5000);
    out.end();
    await finished(out);
    await expect(verifyFile(file)).resolves.toMatchObject({ ok: true, events: 5000, headHash: generated.headHash });
  }, 60_000);

  it('names an edited row and repairs a damaged projection with apply', async () => {
    await db.dataSource.query(`UPDATE call_views SET due_at = NULL WHERE id = (SELECT MIN(id) FROM call_views WHERE status = 'pending')`);
    await expect(replayProjection(db)).resolves.toMatchObject({ differences: 1, applied: false });
    await expect(replayProjection(db, { apply: true })).resolves.toMatchObject({ differences: 1, applied: true });
    await expect(replayProjection(db)).resolves.toMatchObject({ differences: 0 });

    // The append-only trigger refuses the edit; a forger who owns the table disables it first.
    await expect(db.dataSource.query(`UPDATE events SET occurred_at = '2020-01-01T00:00:00.000Z' WHERE position = 4321`)).rejects.toThrow(/append-only/);
    await db.dataSource.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await db.dataSource.query(`UPDATE events SET occurred_at = '2020-01-01T00:00:00.000Z' WHERE position = 4321`);
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: false, problem: { position: 4321, kind: 'edited' } });
  }, 60_000);
});
