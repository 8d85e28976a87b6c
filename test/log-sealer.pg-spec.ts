import type { DataSource } from 'typeorm';
import { decide, DEFAULT_POLICY, evolve, initialState, type CallState } from '../libs/domain/src/index.js';
import { Database, EventStore, insertUnsealedRows, openDataSource } from '../libs/persistence/src/index.js';
import { verifyDatabase } from '../libs/persistence/src/audit/index.js';
import { freshPgStorePerTest } from './support/pg-database.js';

const METADATA = { actor: 'sealer-test' };
const NOW = new Date('2030-01-01T09:00:00.000Z');

function scheduled(id: string): { state: CallState; events: ReturnType<typeof decide> } {
  const events = decide({ type: 'ScheduleCall', phoneNumber: '+14155550100' }, initialState(id), NOW, DEFAULT_POLICY);
  return { state: events.reduce(evolve, initialState(id)), events };
}

const draft = (id: string, version = 1) => ({
  eventId: crypto.randomUUID(),
  streamId: id,
  version,
  type: 'CallScheduled',
  schemaVersion: 1,
  data: '{}',
  metadata: '{}',
  occurredAt: NOW.toISOString(),
});

// PostgreSQL appends commit without a global lock; the sealer places them (libs/persistence/src/log-sealer.ts).
describe('the sealer on PostgreSQL', () => {
  const fresh = freshPgStorePerTest();
  let db: Database;
  let store: EventStore;
  let ds: DataSource;
  beforeEach(() => ({ db, store, ds } = fresh.current()));

  const positions = async () =>
    (await ds.query<{ p: string | null; s: string }[]>('SELECT position AS p, stream_id AS s FROM events ORDER BY seq')).map((r) => `${r.p}:${r.s}`);

  it('refuses any change to a sealed row (trigger), and a second seal; lets only NULL → value through once', async () => {
    const { state, events } = scheduled('a');
    await store.append('a', 0, events, { metadata: METADATA, state });
    const refused = (sql: string) => expect(ds.query(sql)).rejects.toThrow(/append-only/);
    await refused(`UPDATE events SET data = '{"forged":1}' WHERE position = 1`);
    await refused(`UPDATE events SET position = 2 WHERE position = 1`);
    await refused(`UPDATE events SET hash = repeat('0', 64) WHERE position = 1`);
    await refused(`UPDATE events SET position = NULL, prev_hash = NULL, hash = NULL WHERE position = 1`);
    await refused('DELETE FROM events WHERE position = 1');

    // An unsealed row: sealing it with other columns changed, or only half sealed, is refused too.
    await db.write((m) => insertUnsealedRows(m, [draft('b')]));
    await refused(`UPDATE events SET position = 2, prev_hash = 'x', hash = 'y', data = '{"forged":1}' WHERE position IS NULL`);
    await refused(`UPDATE events SET position = 2 WHERE position IS NULL`);
    await expect(store.seal()).resolves.toBe(1);
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 2, unsealed: { unsealed: 0 } });
  }, 60_000);

  it('keeps unsealed rows out of the log until a pass seals them (an instance died after its commit); verify and the lag report them', async () => {
    const { state, events } = scheduled('a');
    await store.append('a', 0, events, { metadata: METADATA, state });
    // What an instance that died between its commit and its sealing pass leaves behind.
    await db.write((m) => insertUnsealedRows(m, [draft('dead-1'), draft('dead-2')]));

    await expect(store.readAll(0, 10)).resolves.toHaveLength(1);
    await expect(store.lastPosition()).resolves.toBe(1);
    const lag = await store.sealLag();
    expect(lag.unsealed).toBe(2);
    expect(lag.oldestUnsealedMs).toBeGreaterThanOrEqual(0);
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 1, unsealed: { unsealed: 2 } });

    // Another instance's next append seals them first, so its own rows come after them.
    const otherDb = new Database(await openDataSource(fresh.current().pg.url));
    const other = new EventStore(otherDb);
    try {
      const next = scheduled('b');
      const [stored] = await other.append('b', 0, next.events, { metadata: METADATA, state: next.state });
      expect(stored.position).toBe(4);
    } finally {
      await otherDb.close();
    }
    expect(await positions()).toEqual(['1:a', '2:dead-1', '3:dead-2', '4:b']);
    await expect(store.sealLag()).resolves.toEqual({ unsealed: 0, oldestUnsealedMs: null });
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 4 });
  }, 60_000);

  it('numbers rows in the order they become visible: an earlier insert that commits later gets the later position', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      // Inserted first (the lower seq), still in flight.
      await insertUnsealedRows(runner.manager, [draft('slow')]);
      const fast = scheduled('fast');
      const [stored] = await store.append('fast', 0, fast.events, { metadata: METADATA, state: fast.state });
      expect(stored.position).toBe(1);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    await store.seal();
    expect(await positions()).toEqual(['2:slow', '1:fast']);
    await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 2 });
  }, 60_000);

  it('gives a stream read every event its position, sealing a committed tail first', async () => {
    await db.write((m) => insertUnsealedRows(m, [draft('s', 1), draft('s', 2)]));
    const stream = await store.readStream('s');
    expect(stream.map((e) => [e.version, e.position])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  }, 60_000);

  it('announces the new head after each pass of this process', async () => {
    const heads: number[] = [];
    const subscription = store.logAdvanced$.subscribe((head) => heads.push(head));
    try {
      for (const id of ['x', 'y']) {
        const { state, events } = scheduled(id);
        await store.append(id, 0, events, { metadata: METADATA, state });
      }
    } finally {
      subscription.unsubscribe();
    }
    expect(heads).toEqual([1, 2]);
  }, 60_000);
});
