import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { exportLog, verifyDatabase, verifyFile } from '../libs/persistence/src/audit/index.js';
import { generateCalls } from '../libs/testing/src/index.js';
import { chainHash, Database, openDataSource } from '../libs/persistence/src/index.js';
import { SCHEMA_VERSIONS } from '../libs/domain/src/index.js';
import { startScheduler } from './support/scheduler.process.js';

const ROOT = resolve(import.meta.dirname, '..');
const AUDIT_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/audit.js');
const START = new Date('2026-03-01T09:00:00.000Z');

interface Row {
  position: number;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  occurred_at: string;
  prev_hash: string;
  hash: string;
}

let dir: string;
let small: string; // a pristine 3,000-event log, copied for each tamper test
let seq = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'call-scheduler-audit-'));
  small = join(dir, 'small.db');
  const db = await open(small);
  try {
    await generateCalls(db, { events: 3000, seed: 21, start: START });
  } finally {
    await db.close();
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<Database> {
  return new Database(await openDataSource(`sqlite:${path}`));
}

/** A copy of the small log to tamper with (the database is closed after the copy, so WAL is folded in). */
async function tamperable(): Promise<{ db: Database; path: string }> {
  const path = join(dir, `tampered-${++seq}.db`);
  await copyFile(small, path);
  return { db: await open(path), path };
}

const rowAt = async (db: Database, position: number): Promise<Row> =>
  (await db.dataSource.query('SELECT * FROM events WHERE position = ?', [position]))[0] as Row;

const hashOf = (row: Row, position = row.position) =>
  chainHash(row.prev_hash, {
    position,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
  });

function runAudit(databasePath: string, ...args: string[]) {
  return spawnSync(process.execPath, [AUDIT_CLI, ...args], {
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: `sqlite:${databasePath}` },
    encoding: 'utf8',
  });
}

describe('audit verify on a generated log of 100,000 events', () => {
  let path: string;
  let exported: string;
  let head: { position: number; hash: string };

  beforeAll(async () => {
    path = join(dir, 'large.db');
    const db = await open(path);
    try {
      const report = await generateCalls(db, { events: 100_000, seed: 8, start: START });
      head = { position: report.headPosition, hash: report.headHash };
      exported = join(dir, 'large.ndjson');
      const out = createWriteStream(exported);
      await exportLog(db, out);
      out.end();
      await finished(out);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('passes on the untouched log: every hash, position and stream version checks out', async () => {
    const db = await open(path);
    try {
      const report = await verifyDatabase(db);
      expect(report).toMatchObject({ ok: true, problem: null, findings: 0, events: 100_000, headPosition: 100_000, headHash: head.hash });
      const [{ streams }] = await db.dataSource.query('SELECT COUNT(DISTINCT stream_id) AS streams FROM events');
      expect(report.streams).toBe(streams);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('npm run audit -- verify exits 0 with a summary naming the head hash', () => {
    expect(existsSync(AUDIT_CLI)).toBe(true); // build first: npx tsc -p tsconfig.build.json
    const result = runAudit(path, 'verify');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('log intact: 100,000 events');
    expect(result.stdout).toContain(`head 100000:${head.hash}`);
    expect(result.stdout).toMatch(/events\/s/);
  }, 60_000);

  it('verifies the exported NDJSON offline, without the database, to the same head', async () => {
    const report = await verifyFile(exported);
    expect(report).toMatchObject({ ok: true, events: 100_000, headPosition: 100_000, headHash: head.hash });
    const first = JSON.parse((await readFile(exported, 'utf8')).slice(0, 5000).split('\n')[0]);
    expect(first).toMatchObject({ position: 1, prevHash: '0'.repeat(64), type: 'CallScheduled', schemaVersion: SCHEMA_VERSIONS.CallScheduled });
    expect(typeof first.data).toBe('string');
  }, 60_000);

  it('fails offline verification when one byte of the export is edited, naming the position', async () => {
    const text = await readFile(exported, 'utf8');
    // Line 50,000 is position 50,000: change one digit inside its data (the JSON stays valid).
    let start = 0;
    for (let i = 1; i < 50_000; i++) start = text.indexOf('\n', start) + 1;
    const dataAt = text.indexOf('"data":"', start) + 8;
    let k = dataAt;
    while (!/[0-9]/.test(text[k])) k++;
    const edited = text.slice(0, k) + String((Number(text[k]) + 1) % 10) + text.slice(k + 1);
    expect(edited.length).toBe(text.length);
    const file = join(dir, 'edited.ndjson');
    await writeFile(file, edited);

    const report = await verifyFile(file);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ position: 50_000, kind: 'edited' });

    const cli = runAudit(join(dir, 'unused.db'), 'verify', '--file', file);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('first bad position 50000 (edited)');
    expect(existsSync(join(dir, 'unused.db'))).toBe(false); // offline: no database was opened
  }, 60_000);

  it('fails offline verification of a truncated line', async () => {
    const text = await readFile(exported, 'utf8');
    const cut = text.indexOf('\n', 1000);
    const file = join(dir, 'cut.ndjson');
    await writeFile(file, text.slice(0, cut - 10) + text.slice(cut));
    const report = await verifyFile(file);
    expect(report.problem).toMatchObject({ kind: 'malformed' });
    expect(report.problem!.message).toMatch(/^line \d+: not valid JSON/);
  });
});

describe('audit verify catches raw-SQL tampering and names the first bad position', () => {
  it('passes on the pristine copy', async () => {
    const { db } = await tamperable();
    try {
      await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 3000 });
    } finally {
      await db.close();
    }
  });

  it('an edited data byte', async () => {
    const { db, path } = await tamperable();
    try {
      const row = await rowAt(db, 1234);
      const i = row.data.search(/[0-9]/);
      const data = row.data.slice(0, i) + String((Number(row.data[i]) + 1) % 10) + row.data.slice(i + 1);
      await db.dataSource.query('UPDATE events SET data = ? WHERE position = 1234', [data]);
      const report = await verifyDatabase(db);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ position: 1234, kind: 'edited' });
      expect(report.problem!.message).toContain(row.stream_id);
    } finally {
      await db.close();
    }
    const cli = runAudit(path, 'verify');
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('first bad position 1234 (edited)');
  }, 30_000);

  it('a deleted row', async () => {
    const { db } = await tamperable();
    try {
      await db.dataSource.query('DELETE FROM events WHERE position = 1500');
      await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: false, problem: { position: 1500, kind: 'deleted' } });
    } finally {
      await db.close();
    }
  });

  it('a deleted row with the later positions renumbered to close the gap', async () => {
    const { db } = await tamperable();
    try {
      await db.dataSource.query('DELETE FROM events WHERE position = 1500');
      // Two steps so the primary key never collides mid-update.
      await db.dataSource.query('UPDATE events SET position = -position WHERE position > 1500');
      await db.dataSource.query('UPDATE events SET position = -position - 1 WHERE position < 0');
      const report = await verifyDatabase(db);
      expect(report.problem).toMatchObject({ position: 1500, kind: 'deleted' });
      expect(report.problem!.message).toContain('renumbered');
    } finally {
      await db.close();
    }
  });

  it('two rows whose positions were swapped (reordered)', async () => {
    const { db } = await tamperable();
    try {
      await db.dataSource.query('UPDATE events SET position = -1 WHERE position = 1000');
      await db.dataSource.query('UPDATE events SET position = 1000 WHERE position = 2000');
      await db.dataSource.query('UPDATE events SET position = 2000 WHERE position = -1');
      const report = await verifyDatabase(db);
      expect(report.problem).toMatchObject({ position: 1000, kind: 'reordered' });
      expect(report.problem!.message).toContain('rows 1000 and 2000 swapped');
    } finally {
      await db.close();
    }
  });

  it('a forged row inserted with a valid-looking hash, later rows shifted', async () => {
    const { db } = await tamperable();
    try {
      const before = await rowAt(db, 699);
      await db.dataSource.query('UPDATE events SET position = -position WHERE position >= 700');
      await db.dataSource.query('UPDATE events SET position = -position + 1 WHERE position < 0');
      // The forger knows the hash algorithm and chains the row onto its predecessor.
      const forged: Row = {
        position: 700,
        stream_id: 'forged-call',
        version: 1,
        type: 'CallCancelled',
        schema_version: 1,
        data: JSON.stringify({ reason: 'nothing to see here' }),
        metadata: JSON.stringify({ actor: 'api' }),
        occurred_at: before.occurred_at,
        prev_hash: before.hash,
        hash: '',
      };
      forged.hash = hashOf(forged);
      await db.dataSource.query(
        `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
         VALUES (?, 'f0f0f0f0-0000-4000-8000-000000000000', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [700, forged.stream_id, 1, forged.type, 1, forged.data, forged.metadata, forged.occurred_at, forged.prev_hash, forged.hash],
      );
      const report = await verifyDatabase(db);
      expect(report.problem).toMatchObject({ position: 700, kind: 'inserted' });
    } finally {
      await db.close();
    }
  });

  it('a rewritten stream version with every later hash recomputed (only the version check sees it)', async () => {
    const { db } = await tamperable();
    try {
      const target = await rowAt(db, 2500);
      const rows: Row[] = await db.dataSource.query('SELECT * FROM events WHERE position >= 2500 ORDER BY position');
      let prevHash = (await rowAt(db, 2499)).hash;
      for (const row of rows) {
        if (row.position === 2500) row.version = 99;
        row.prev_hash = prevHash;
        row.hash = hashOf(row);
        await db.dataSource.query('UPDATE events SET version = ?, prev_hash = ?, hash = ? WHERE position = ?', [
          row.version,
          row.prev_hash,
          row.hash,
          row.position,
        ]);
        prevHash = row.hash;
      }
      const report = await verifyDatabase(db);
      expect(report.problem).toMatchObject({ position: 2500, kind: 'version' });
      expect(report.problem!.message).toContain(target.stream_id);
    } finally {
      await db.close();
    }
  });

  it('a deleted tail: invisible to the chain alone, caught against an anchor recorded earlier', async () => {
    const { db, path } = await tamperable();
    try {
      const anchor = { position: 3000, hash: (await rowAt(db, 3000)).hash };
      await db.dataSource.query('DELETE FROM events WHERE position > 2990');
      await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 2990 });
      await expect(verifyDatabase(db, { anchor })).resolves.toMatchObject({ ok: false, problem: { position: 2991, kind: 'deleted' } });
      await db.close();
      const cli = runAudit(path, 'verify', '--anchor', `3000:${anchor.hash}`);
      expect(cli.status).toBe(1);
      expect(cli.stdout).toContain('first bad position 2991 (deleted)');
    } finally {
      if (db.dataSource.isInitialized) await db.close();
    }
  }, 30_000);
});

describe('the hash chain under concurrent writers', () => {
  it('stays intact when three processes append to one SQLite file at the same time', async () => {
    const path = join(dir, 'concurrent.db');
    const db = await open(path); // creates the schema before the writers start
    await db.close();
    // Each writer schedules 60 calls and starts dispatching each: 120 appends racing for the append lock.
    const script = `
      import 'reflect-metadata';
      const { Database, EventStore, openDataSource } = await import(${JSON.stringify(join(ROOT, 'dist/libs/persistence/src/index.js'))});
      const { decide, evolve, foldEvents, DEFAULT_POLICY } = await import(${JSON.stringify(join(ROOT, 'dist/libs/domain/src/index.js'))});
      const db = new Database(await openDataSource(process.env.DATABASE_URL));
      const store = new EventStore(db);
      // Start together: process start-up times differ by more than a writer's whole run.
      await new Promise((r) => setTimeout(r, Math.max(0, Number(process.env.GO_AT) - Date.now())));
      const run = async (id, command, state) => {
        const events = decide(command, state, new Date(), DEFAULT_POLICY);
        const next = events.reduce(evolve, state);
        await store.append(id, state.version, events, { metadata: { actor: process.env.WHO }, state: next });
        return next;
      };
      for (let i = 0; i < 60; i++) {
        const id = process.env.WHO + '-' + i;
        const scheduled = await run(id, { type: 'ScheduleCall', phoneNumber: '+442079460958' }, foldEvents(id, []));
        await run(id, { type: 'StartDispatch' }, scheduled);
      }
      await db.close();`;
    const goAt = String(Date.now() + 3000);
    const writer = (who: string) =>
      new Promise<number | null>((done) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          cwd: ROOT,
          env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: `sqlite:${path}`, WHO: who, GO_AT: goAt },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.once('exit', done);
      });
    await expect(Promise.all(['a', 'b', 'c'].map(writer))).resolves.toEqual([0, 0, 0]);

    const check = await open(path);
    try {
      await expect(verifyDatabase(check)).resolves.toMatchObject({ ok: true, events: 360, streams: 180 });
      // The writers really interleaved: the log is not three runs one after the other.
      const actors: { actor: string }[] = await check.dataSource.query(`SELECT json_extract(metadata, '$.actor') AS actor FROM events ORDER BY position`);
      const switches = actors.filter((a, i) => i > 0 && a.actor !== actors[i - 1].actor).length;
      expect(switches).toBeGreaterThan(2);
    } finally {
      await check.close();
    }
  }, 60_000);
});

describe('GET /api/audit/verify', () => {
  it('answers the same report as the CLI, and names the bad position once the log is edited', async () => {
    expect(existsSync(join(ROOT, 'dist/apps/scheduler-api/src/main.js'))).toBe(true);
    const path = join(dir, 'api.db');
    await copyFile(small, path);
    // No call is due against this stand-in: every pending call is months overdue and gets recorded missed.
    const scheduler = await startScheduler({ callApiUrl: 'http://127.0.0.1:9', databaseUrl: `sqlite:${path}` });
    try {
      const intact = (await (await fetch(`${scheduler.url}/api/audit/verify`)).json()) as { ok: boolean; events: number; headHash: string };
      expect(intact).toMatchObject({ ok: true, problem: null });
      expect(intact.events).toBeGreaterThanOrEqual(3000);
      expect(intact.headHash).toMatch(/^[0-9a-f]{64}$/);

      const db = await open(path);
      try {
        const row = await rowAt(db, 1234);
        await db.dataSource.query('UPDATE events SET data = ? WHERE position = 1234', [row.data.replace(/\d/, (d) => String((Number(d) + 1) % 10))]);
      } finally {
        await db.close();
      }
      const res = await fetch(`${scheduler.url}/api/audit/verify`);
      expect(res.status).toBe(200);
      await expect(res.json()).resolves.toMatchObject({ ok: false, problem: { position: 1234, kind: 'edited' } });
      const bad = await fetch(`${scheduler.url}/api/audit/verify?anchor=nonsense`);
      expect(bad.status).toBe(400);
    } finally {
      await scheduler.stop();
    }
  }, 60_000);
});
