import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide, DEFAULT_POLICY, evolve, initialState } from '../libs/domain/src/index.js';
import { Database, EventStore, openDataSource } from '../libs/persistence/src/index.js';
import { eventStoreContract } from './support/event-store.contract.js';

// A real SQLite file (WAL) in a fresh temporary directory for every test.
eventStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'call-scheduler-events-'));
  return {
    url: `sqlite:${join(dir, 'events.db')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('group commit on SQLite (issue #11)', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'call-scheduler-group-'));
    db = new Database(await openDataSource(`sqlite:${join(dir, 'events.db')}`));
  });

  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits appends that arrive together in one transaction; each resolves after its commit; reads see only committed rows', async () => {
    const store = new EventStore(db);
    const dialect = db.dialect;
    const steps: string[] = [];
    // After each COMMIT: how many rows are committed now (on the same connection, inside the turn).
    const committed: number[] = [0];
    Object.assign(db, {
      dialect: {
        ...dialect,
        commit: async (runner: Parameters<typeof dialect.commit>[0]) => {
          await dialect.commit(runner);
          steps.push('commit');
          const [row] = (await runner.query('SELECT COUNT(*) AS n FROM events')) as { n: number }[];
          committed.push(row.n);
        },
      },
    });
    const seen: number[] = [];
    const appends = Array.from({ length: 40 }, async (_, i) => {
      const state = initialState(`g-${i}`);
      const events = decide({ type: 'ScheduleCall', phoneNumber: '+14155550100' }, state, new Date('2030-01-01T09:00:00Z'), DEFAULT_POLICY);
      await store.append(state.id, 0, events, { metadata: { actor: 'test' }, state: events.reduce(evolve, state) });
      steps.push(`done g-${i}`);
    });
    const reads = Array.from({ length: 10 }, async () => {
      const [row] = await db.read((m) => m.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM events'));
      seen.push(row.n);
    });
    await Promise.all([...appends, ...reads]);

    const commits = steps.filter((s) => s === 'commit').length;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(40);
    expect(steps[0]).toBe('commit');
    expect(committed.at(-1)).toBe(40);
    // A read sees the log as of some commit, never rows of a transaction still being written.
    for (const n of seen) expect(committed).toContain(n);
    Object.assign(db, { dialect });
  });
});
