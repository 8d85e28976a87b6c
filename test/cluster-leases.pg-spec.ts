import type { DataSource } from 'typeorm';
import { ClusterRepository } from '../libs/persistence/src/index.js';
import { freshPgStorePerTest } from './support/pg-database.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A call_leases row needs a call: a bare call_views row is enough for the lease statements. */
async function leaseFor(ds: DataSource, callId: string, owner: string, expiresAt: string): Promise<void> {
  await ds.query('INSERT INTO call_leases (call_id, owner, expires_at) VALUES ($1, $2, $3)', [callId, owner, expiresAt]);
}

// Leases and heartbeats are timed by the database's clock: no statement takes an instance's "now",
// so instances whose clocks disagree still agree on when a lease runs out.
describe('cluster leases and heartbeats on PostgreSQL', () => {
  const fresh = freshPgStorePerTest();
  let ds: DataSource;
  let repo: ClusterRepository;
  beforeEach(() => {
    ds = fresh.current().ds;
    repo = new ClusterRepository(fresh.current().db);
  });

  it('lets a renewed lease run for its length on the database clock, then lets another instance take it over', async () => {
    await leaseFor(ds, 'call-1', 'a', '1970-01-01T00:00:00.000Z');
    expect(await repo.renewLeases('a', 400)).toEqual(['call-1']);
    // Running: the other instance cannot take it, however far ahead its own clock may be.
    expect(await repo.takeExpiredLeases('b', 5000, 10)).toEqual([]);
    await sleep(600);
    expect(await repo.takeExpiredLeases('b', 5000, 10)).toEqual(['call-1']);
    // Its first owner renews nothing now: the lease is b's.
    expect(await repo.renewLeases('a', 5000)).toEqual([]);
    const [row] = await ds.query<{ owner: string; expiresAt: string }[]>('SELECT owner, expires_at AS "expiresAt" FROM call_leases');
    expect(row.owner).toBe('b');
    // ISO text like every other time in the schema, about 5 s ahead of the database's now.
    expect(row.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [{ now }] = await ds.query<{ now: Date }[]>('SELECT clock_timestamp() AS now');
    expect(Date.parse(row.expiresAt) - now.getTime()).toBeGreaterThan(4000);
    expect(Date.parse(row.expiresAt) - now.getTime()).toBeLessThanOrEqual(5000);
  });

  it('hands every lease over at once when an instance leaves, and takes it out of the registry', async () => {
    const me = { id: 'a', host: 'h', pid: 1, version: '1', startedAt: '2026-12-01T00:00:00.000Z', inFlight: 0, following: 2 };
    await repo.heartbeat(me, 3_600_000);
    await leaseFor(ds, 'call-1', 'a', '2999-01-01T00:00:00.000Z');
    await leaseFor(ds, 'call-2', 'a', '2999-01-01T00:00:00.000Z');
    expect(await repo.takeExpiredLeases('b', 5000, 10)).toEqual([]);
    await repo.leave('a');
    expect((await repo.takeExpiredLeases('b', 5000, 10)).sort()).toEqual(['call-1', 'call-2']);
    expect(await repo.instances()).toEqual([]);
  });

  it('lists instances with the age of their last heartbeat on the database clock, and forgets long-gone ones', async () => {
    const me = { id: 'a', host: 'h', pid: 1, version: '1', startedAt: '2026-12-01T00:00:00.000Z', inFlight: 3, following: 7 };
    await repo.heartbeat(me, 3_600_000);
    await sleep(300);
    const [listed] = await repo.instances();
    expect(listed).toMatchObject({ id: 'a', inFlight: 3, following: 7 });
    expect(listed.heartbeatAgeMs).toBeGreaterThanOrEqual(250);
    expect(listed.heartbeatAgeMs).toBeLessThan(5000);
    // An instance silent for longer than the forget period is dropped by the next heartbeat of any instance.
    await ds.query(`UPDATE scheduler_instances SET heartbeat_at = '2000-01-01T00:00:00.000Z'`);
    await repo.heartbeat({ ...me, id: 'b' }, 3_600_000);
    expect((await repo.instances()).map((i) => i.id)).toEqual(['b']);
  });
});
