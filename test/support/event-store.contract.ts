import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import {
  ConcurrencyError,
  decide,
  DEFAULT_POLICY,
  DomainError,
  evolve,
  foldEvents,
  initialState,
  SCHEMA_VERSIONS,
  toCallView,
  type CallCommand,
  type CallEvent,
  type CallState,
  type CallStatus,
  type CallView,
  type DispatchPolicy,
} from '../../libs/domain/src/index.js';
import {
  CallViewRepository,
  chainHash,
  Database,
  EventEntity,
  EventStore,
  GENESIS_HASH,
  InvalidCursorError,
  openDataSource,
  toDomainEvent,
  type AppendOptions,
  type CallChange,
  type StoredEvent,
} from '../../libs/persistence/src/index.js';

/** A fresh, empty database for one test, and how to throw it away afterwards. */
export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}
export type TestDatabaseFactory = () => Promise<TestDatabase>;

interface Connection {
  dataSource: DataSource;
  db: Database;
  store: EventStore;
  views: CallViewRepository;
}

// PostgreSQL creates a database per test and the pagination test writes ~700 events: Jest's 5 s is too short.
const TIMEOUT = 120_000;
const POLICY: DispatchPolicy = { ...DEFAULT_POLICY, maxAttempts: 3 };
const T0 = Date.parse('2030-01-01T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const MINUTE = 60_000;
const METADATA = { actor: 'contract-test', correlationId: 'corr-1', requestId: 'req-1' };

const schedule = (phoneNumber = '+14155550100', scheduledAt?: Date): CallCommand => ({
  type: 'ScheduleCall',
  phoneNumber,
  ...(scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {}),
});
const start: CallCommand = { type: 'StartDispatch' };
const dispatched: CallCommand = { type: 'RecordDispatch', providerCallId: 'prov-1', providerStatus: 'initiated' };
const providerSays = (providerStatus: string, duration?: number): CallCommand => ({ type: 'RecordStatus', providerStatus, duration });
const certainFailure: CallCommand = { type: 'RecordDispatchFailure', reason: 'HTTP 503', certain: true, retryable: true };

/**
 * The persistence contract: the same tests against every engine the service supports.
 * `factory` gives each test its own empty database.
 */
export function eventStoreContract(engine: string, factory: TestDatabaseFactory): void {
  describe(`event store and call views on ${engine}`, () => {
    let database: TestDatabase;
    let connections: Connection[] = [];
    let store: EventStore;
    let views: CallViewRepository;
    let dataSource: DataSource;

    async function connect(): Promise<Connection> {
      const ds = await openDataSource(database.url);
      const db = new Database(ds);
      const connection = { dataSource: ds, db, store: new EventStore(db), views: new CallViewRepository(db) };
      connections.push(connection);
      return connection;
    }

    async function disconnect(connection: Connection): Promise<void> {
      if (connection.dataSource.isInitialized) await connection.db.close();
    }

    beforeEach(async () => {
      database = await factory();
      ({ store, views, dataSource } = await connect());
    }, TIMEOUT);

    afterEach(async () => {
      for (const connection of connections) await disconnect(connection);
      connections = [];
      await database.cleanup();
    }, TIMEOUT);

    /** Decides one command and appends its events with the state they lead to, as the service does. */
    async function act(
      state: CallState,
      command: CallCommand,
      now = at(0),
      options: Partial<AppendOptions> = {},
      on: EventStore = store,
    ): Promise<{ state: CallState; events: CallEvent[]; stored: StoredEvent[] }> {
      const events = decide(command, state, now, POLICY, 0.5);
      const next = events.reduce(evolve, state);
      const stored = await on.append(state.id, state.version, events, { metadata: METADATA, state: next, ...options });
      return { state: next, events, stored };
    }

    async function play(id: string, steps: [CallCommand, Date?][]): Promise<CallState> {
      let state = initialState(id);
      for (const [command, now] of steps) state = (await act(state, command, now)).state;
      return state;
    }

    const rawLog = () => dataSource.manager.find(EventEntity, { order: { position: 'ASC' } });
    const viewCount = () => dataSource.query('SELECT COUNT(*) AS n FROM call_views').then((rows: { n: string | number }[]) => Number(rows[0].n));

    describe('appending and reading', () => {
      it(
        'reads back a stream exactly as it was appended',
        async () => {
          const id = randomUUID();
          const eventIds = [randomUUID()];
          const first = await act(initialState(id), schedule('+44 20 7946 0958', at(30 * MINUTE)), at(0), { eventIds });
          const second = await act(first.state, { type: 'RescheduleCall', scheduledAt: at(45 * MINUTE).toISOString() }, at(MINUTE));

          const stream = await store.readStream(id);
          expect(stream).toHaveLength(2);
          expect(
            stream.map(({ streamId, version, type, data, metadata, occurredAt, schemaVersion }) => ({
              streamId,
              version,
              type,
              data,
              metadata,
              occurredAt,
              schemaVersion,
            })),
          ).toEqual(
            [...first.events, ...second.events].map((event, i) => ({
              streamId: id,
              version: i + 1,
              type: event.type,
              data: event.data,
              metadata: METADATA,
              occurredAt: event.occurredAt,
              schemaVersion: SCHEMA_VERSIONS[event.type],
            })),
          );
          expect(stream[0].eventId).toBe(eventIds[0]);
          expect(stream).toEqual([...first.stored, ...second.stored]);
          expect(foldEvents(id, stream.map(toDomainEvent))).toEqual(second.state);
        },
        TIMEOUT,
      );

      it(
        'records a call found missed a month late, with its lateness in milliseconds',
        async () => {
          const month = 30 * 24 * 60 * MINUTE;
          const missed = await play(randomUUID(), [[schedule('+14155550100', at(MINUTE))], [start, at(MINUTE + month)]]);
          expect(missed).toMatchObject({ status: 'missed', latenessMs: month });
          await expect(views.findById(missed.id)).resolves.toEqual(toCallView(missed));
        },
        TIMEOUT,
      );

      it(
        'writes the projection row in the same append',
        async () => {
          const state = await play(randomUUID(), [[schedule('+14155550100', at(10 * MINUTE))], [start, at(10 * MINUTE)], [dispatched, at(10 * MINUTE + 250)]]);
          await expect(views.findById(state.id)).resolves.toEqual(toCallView(state));
        },
        TIMEOUT,
      );

      it(
        'returns an empty stream and no view for an unknown call',
        async () => {
          await expect(store.readStream('no-such-call')).resolves.toEqual([]);
          await expect(views.findById('no-such-call')).resolves.toBeNull();
        },
        TIMEOUT,
      );

      it(
        'appends nothing for an empty list of events',
        async () => {
          await expect(store.append('c', 0, [], { metadata: METADATA, state: initialState('c') })).resolves.toEqual([]);
          await expect(store.lastPosition()).resolves.toBe(0);
        },
        TIMEOUT,
      );
    });

    describe('optimistic concurrency', () => {
      it(
        'refuses an append at a stale expected version with ConcurrencyError and writes nothing',
        async () => {
          const id = randomUUID();
          const pending = await play(id, [[schedule()]]);
          const moved = (await act(pending, { type: 'RescheduleCall', scheduledAt: at(60 * MINUTE).toISOString() })).state;
          const logBefore = await rawLog();
          const viewBefore = await views.findById(id);

          // A writer that still holds version 1 tries to cancel.
          const stale = decide({ type: 'CancelCall' }, pending, at(0), POLICY);
          const error = await store.append(id, pending.version, stale, { metadata: METADATA, state: stale.reduce(evolve, pending) }).catch((e: unknown) => e);

          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({ streamId: id, expectedVersion: 1 });
          await expect(rawLog()).resolves.toEqual(logBefore);
          await expect(views.findById(id)).resolves.toEqual(viewBefore);
          expect(viewBefore).toEqual(toCallView(moved));
        },
        TIMEOUT,
      );

      it(
        'refuses to create a stream that already exists',
        async () => {
          const id = randomUUID();
          await play(id, [[schedule()]]);
          await expect(act(initialState(id), schedule('+442079460958'))).rejects.toBeInstanceOf(ConcurrencyError);
          await expect(views.findById(id)).resolves.toMatchObject({ phoneNumber: '+14155550100' });
        },
        TIMEOUT,
      );

      it(
        'lets exactly one of two concurrent appends at the same version win',
        async () => {
          const id = randomUUID();
          const pending = await play(id, [[schedule('+14155550100', at(30 * MINUTE))]]);
          const results = await Promise.allSettled([
            act(pending, { type: 'CancelCall', reason: 'first' }),
            act(pending, { type: 'RescheduleCall', scheduledAt: at(90 * MINUTE).toISOString() }),
          ]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r) => r.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0].reason).toBeInstanceOf(ConcurrencyError);

          const winner = (won[0] as PromiseFulfilledResult<{ state: CallState }>).value.state;
          const stream = await store.readStream(id);
          expect(stream.map((e) => e.version)).toEqual([1, 2]);
          await expect(views.findById(id)).resolves.toEqual(toCallView(winner));
        },
        TIMEOUT,
      );

      it(
        'lets exactly one of ten racing appends win, across two connections',
        async () => {
          // Two connections stand for two service instances sharing the database. better-sqlite3 is
          // synchronous, so a second connection in the same process would block the event loop in
          // busy_timeout: for SQLite the race runs on one connection (its lock queue), which is how
          // the service uses it.
          const second = database.url.startsWith('sqlite:') ? connections[0] : await connect();
          const id = randomUUID();
          const pending = await play(id, [[schedule('+14155550100', at(30 * MINUTE))]]);
          const results = await Promise.allSettled(
            Array.from({ length: 10 }, (_, i) =>
              act(pending, { type: 'RescheduleCall', scheduledAt: at((31 + i) * MINUTE).toISOString() }, at(0), {}, i % 2 ? second.store : store),
            ),
          );
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          for (const r of results.filter((r) => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConcurrencyError);
          const stream = await store.readStream(id);
          expect(stream.map((e) => e.version)).toEqual([1, 2]);
          expect((await rawLog()).map((r) => r.position)).toEqual([1, 2]);
        },
        TIMEOUT,
      );

      it(
        'has a schema that itself refuses a second event at the same stream version',
        async () => {
          const id = randomUUID();
          await play(id, [[schedule()]]);
          const [row] = await rawLog();
          const error = await dataSource.manager
            // A plain copy of the row's columns is what insert() takes; the prototype is not wanted.
            .insert(EventEntity, { ...row, position: 99, eventId: randomUUID() })
            .then(() => null)
            .catch((e: unknown) => e);
          expect(error).not.toBeNull();
          expect(connections[0].db.dialect.isUniqueViolation(error)).toBe(true);
        },
        TIMEOUT,
      );

      it(
        'treats a retried append with the same event ids as done, writing no duplicate rows',
        async () => {
          const id = randomUUID();
          const events = decide(schedule(), initialState(id), at(0), POLICY);
          const state = events.reduce(evolve, initialState(id));
          const eventIds = [randomUUID()];
          const first = await store.append(id, 0, events, { metadata: METADATA, state, eventIds, idempotency: { key: `k-${id}`, requestHash: 'h' } });
          const retry = await store.append(id, 0, events, { metadata: METADATA, state, eventIds, idempotency: { key: `k-${id}`, requestHash: 'h' } });

          expect(retry).toEqual(first);
          expect(await rawLog()).toHaveLength(1);
          await expect(store.readStream(id)).resolves.toHaveLength(1);
          await expect(views.findById(id)).resolves.toEqual(toCallView(state));
        },
        TIMEOUT,
      );
    });

    describe('the projection', () => {
      // Weighted towards what the dispatcher does, so histories reach every status.
      const command: fc.Arbitrary<CallCommand> = fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 5, max: 600 }).map((m) => ({ type: 'RescheduleCall' as const, scheduledAt: at(m * MINUTE).toISOString() })) },
        { weight: 1, arbitrary: fc.constant<CallCommand>({ type: 'CancelCall', reason: 'changed my mind' }) },
        { weight: 1, arbitrary: fc.constant<CallCommand>({ type: 'DispatchNow' }) },
        { weight: 5, arbitrary: fc.constant<CallCommand>(start) },
        { weight: 3, arbitrary: fc.constant<CallCommand>(dispatched) },
        {
          weight: 4,
          arbitrary: fc.record({
            type: fc.constant('RecordDispatchFailure' as const),
            reason: fc.constantFrom('HTTP 503', 'timeout'),
            certain: fc.boolean(),
            retryable: fc.boolean(),
            random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          }),
        },
        { weight: 4, arbitrary: fc.constantFrom('ringing', 'connected', 'completed', 'busy', 'no-answer', 'voicemail').map((s) => providerSays(s, 12)) },
        { weight: 1, arbitrary: fc.constant<CallCommand>({ type: 'LoseTracking', reason: 'provider answers 404' }) },
      );
      const operations = fc.array(fc.tuple(fc.nat(4), command, fc.integer({ min: 0, max: 3 * MINUTE })), { minLength: 1, maxLength: 40 });

      it(
        'equals the fold of the stream for every call after random operations',
        async () => {
          await fc.assert(
            fc.asyncProperty(operations, async (ops) => {
              const states = await Promise.all(Array.from({ length: 5 }, (_, i) => play(randomUUID(), [[schedule(`+1415555010${i}`, at(MINUTE))]])));
              let now = T0;
              for (const [callIndex, cmd, advance] of ops) {
                now += advance;
                try {
                  states[callIndex] = (await act(states[callIndex], cmd, new Date(now))).state;
                } catch (error) {
                  if (!(error instanceof DomainError) || error instanceof ConcurrencyError) throw error;
                }
              }
              for (const state of states) {
                const stream = await store.readStream(state.id);
                const folded = foldEvents(state.id, stream.map(toDomainEvent));
                expect(folded).toEqual(state);
                await expect(views.findById(state.id)).resolves.toEqual(toCallView(folded));
              }
            }),
            { numRuns: 15 },
          );
        },
        TIMEOUT,
      );
    });

    describe('the global log', () => {
      async function busyLog(): Promise<void> {
        const a = await play('call-a', [[schedule()]]);
        const b = await play('call-b', [[schedule('+442079460958', at(5 * MINUTE))]]);
        const a2 = (await act(a, start)).state;
        await act(b, { type: 'CancelCall' });
        const a3 = (await act(a2, dispatched)).state;
        await act(a3, providerSays('ringing'));
        // One append of several events, as a service may write a decision and its follow-up together.
        const c = initialState('call-c');
        const scheduled = decide(schedule(), c, at(0), POLICY);
        const c1 = scheduled.reduce(evolve, c);
        const cancelled = decide({ type: 'CancelCall' }, c1, at(0), POLICY);
        await store.append('call-c', 0, [...scheduled, ...cancelled], { metadata: METADATA, state: cancelled.reduce(evolve, c1) });
      }

      it(
        'numbers positions 1, 2, 3… without gaps, in append order',
        async () => {
          await busyLog();
          const all = await store.readAll(0, 1_000);
          expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
          expect(all.map((e) => `${e.streamId}@${e.version}`)).toEqual([
            'call-a@1',
            'call-b@1',
            'call-a@2',
            'call-b@2',
            'call-a@3',
            'call-a@4',
            'call-c@1',
            'call-c@2',
          ]);
          await expect(store.lastPosition()).resolves.toBe(8);
          await expect(views.findById('call-c')).resolves.toMatchObject({ status: 'cancelled', version: 2 });
        },
        TIMEOUT,
      );

      it(
        'leaves no gap in positions after a refused append',
        async () => {
          const a = await play('call-a', [[schedule()]]);
          await expect(act(initialState('call-a'), schedule())).rejects.toBeInstanceOf(ConcurrencyError);
          await act(a, { type: 'CancelCall' });
          expect((await rawLog()).map((r) => r.position)).toEqual([1, 2]);
        },
        TIMEOUT,
      );

      it(
        'reads the log after a position, and streams all of it page by page',
        async () => {
          await busyLog();
          expect((await store.readAll(2, 3)).map((e) => e.position)).toEqual([3, 4, 5]);
          await expect(store.readAll(8, 10)).resolves.toEqual([]);
          const streamed: number[] = [];
          for await (const event of store.streamAll(0, 2)) streamed.push(event.position);
          expect(streamed).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
          const fromFour: number[] = [];
          for await (const event of store.streamAll(4, 3)) fromFour.push(event.position);
          expect(fromFour).toEqual([5, 6, 7, 8]);
        },
        TIMEOUT,
      );

      it(
        'chains every row to the one before it: prev_hash is the previous hash, hash = chainHash(prev, row)',
        async () => {
          await busyLog();
          const rows = await rawLog();
          expect(rows).toHaveLength(8);
          rows.forEach((row, i) => {
            expect(row.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash);
            expect(row.hash).toBe(chainHash(row.prevHash, row));
            expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
          });
          const stored = await store.readAll(0, 100);
          expect(stored.map((e) => e.hash)).toEqual(rows.map((r) => r.hash));
        },
        TIMEOUT,
      );

      it(
        'lets the chain expose a row edited behind the store’s back',
        async () => {
          await busyLog();
          await dataSource.query(`UPDATE events SET data = '{"reason":"forged"}' WHERE position = 4`);
          const rows = await rawLog();
          const broken = rows.filter((row) => row.hash !== chainHash(row.prevHash, row)).map((r) => r.position);
          expect(broken).toEqual([4]);
        },
        TIMEOUT,
      );
    });

    describe('idempotency keys', () => {
      it(
        'writes the key with the events that created the call',
        async () => {
          const id = randomUUID();
          const { events } = await act(initialState(id), schedule(), at(0), { idempotency: { key: 'client-key-1', requestHash: 'a'.repeat(64) } });
          await expect(views.findIdempotencyKey('client-key-1')).resolves.toMatchObject({
            key: 'client-key-1',
            callId: id,
            requestHash: 'a'.repeat(64),
            createdAt: events[0].occurredAt,
          });
          await expect(views.findIdempotencyKey('client-key-2')).resolves.toBeNull();
        },
        TIMEOUT,
      );

      it(
        'writes no key when the append fails',
        async () => {
          const id = randomUUID();
          await play(id, [[schedule()]]);
          await expect(act(initialState(id), schedule(), at(0), { idempotency: { key: 'lost-key', requestHash: 'h' } })).rejects.toBeInstanceOf(
            ConcurrencyError,
          );
          await expect(views.findIdempotencyKey('lost-key')).resolves.toBeNull();
        },
        TIMEOUT,
      );

      it(
        'writes no events and no view when the key is already taken (one transaction)',
        async () => {
          await act(initialState('first'), schedule(), at(0), { idempotency: { key: 'shared-key', requestHash: 'h' } });
          await expect(act(initialState('second'), schedule(), at(0), { idempotency: { key: 'shared-key', requestHash: 'h' } })).rejects.toThrow();

          await expect(store.readStream('second')).resolves.toEqual([]);
          await expect(views.findById('second')).resolves.toBeNull();
          await expect(store.lastPosition()).resolves.toBe(1);
          await expect(views.findIdempotencyKey('shared-key')).resolves.toMatchObject({ callId: 'first' });
          // The log is still appendable, and gapless, after the rollback.
          await act(initialState('third'), schedule());
          expect((await rawLog()).map((r) => `${r.position}:${r.streamId}`)).toEqual(['1:first', '2:third']);
        },
        TIMEOUT,
      );
    });

    describe('start-up', () => {
      it(
        'lets several instances open a fresh database at once, running the migrations once',
        async () => {
          const fresh = await factory();
          const opened: Connection[] = [];
          try {
            const open = async () => {
              const ds = await openDataSource(fresh.url);
              const db = new Database(ds);
              const connection = { dataSource: ds, db, store: new EventStore(db), views: new CallViewRepository(db) };
              opened.push(connection);
              return connection;
            };
            // better-sqlite3 is synchronous: a second connection in this process would block the event loop
            // in busy_timeout while the first waits on it, so for SQLite the instances start one after another.
            if (fresh.url.startsWith('sqlite:')) for (let i = 0; i < 3; i++) await open();
            else await Promise.all([open(), open(), open()]);

            const ran = await opened[0].dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
            expect(ran.map((m) => m.name).sort()).toEqual(opened[0].dataSource.migrations.map((m) => m.name ?? '').sort());
            await act(initialState('after-start'), schedule(), at(0), {}, opened[2].store);
            await expect(opened[0].views.findById('after-start')).resolves.toMatchObject({ status: 'pending' });
          } finally {
            for (const connection of opened) await disconnect(connection);
            await fresh.cleanup();
          }
        },
        TIMEOUT,
      );
    });

    describe('durability', () => {
      it(
        'keeps events, views, keys and the chain across closing and reopening the database',
        async () => {
          const id = randomUUID();
          const created = await act(initialState(id), schedule('+14155550100', at(20 * MINUTE)), at(0), { idempotency: { key: 'durable', requestHash: 'h' } });
          const started = await act(created.state, start, at(20 * MINUTE));
          const stream = await store.readStream(id);
          const log = await rawLog();

          await disconnect(connections[0]);
          const reopened = await connect();

          await expect(reopened.store.readStream(id)).resolves.toEqual(stream);
          await expect(reopened.views.findById(id)).resolves.toEqual(toCallView(started.state));
          await expect(reopened.views.findIdempotencyKey('durable')).resolves.toMatchObject({ callId: id });
          await expect(reopened.store.lastPosition()).resolves.toBe(2);

          // Appending continues the same chain at the next position.
          const [next] = (await act(started.state, dispatched, at(20 * MINUTE + 100), {}, reopened.store)).stored;
          expect(next).toMatchObject({ position: 3, version: 3, prevHash: log[1].hash });
        },
        TIMEOUT,
      );
    });

    describe('changes$', () => {
      it(
        'publishes each appended event with the call view, only once it is committed',
        async () => {
          const observer = await connect();
          const seen: CallChange[] = [];
          const visibleElsewhere: Promise<number>[] = [];
          const subscription = store.changes$.subscribe((change) => {
            seen.push(change);
            // Read through another connection: an uncommitted row would be invisible to it.
            visibleElsewhere.push(observer.store.readAll(change.position - 1, 1).then((rows) => rows.length));
          });
          try {
            const id = randomUUID();
            const pending = (await act(initialState(id), schedule())).state;
            const started = (await act(pending, start)).state;
            expect(seen.map((c) => [c.position, c.event.type, c.call.status])).toEqual([
              [1, 'CallScheduled', 'pending'],
              [2, 'CallDispatchStarted', 'dispatching'],
            ]);
            expect(seen[1].call).toEqual(toCallView(started));
            expect(seen[1].event).not.toHaveProperty('hash');
            await expect(Promise.all(visibleElsewhere)).resolves.toEqual([1, 1]);
          } finally {
            subscription.unsubscribe();
          }
        },
        TIMEOUT,
      );

      it(
        'publishes after the commit has returned, never from inside the transaction',
        async () => {
          const db = connections[0].db;
          const steps: string[] = [];
          const dialect = db.dialect;
          // Record when the store commits, to compare with when it publishes.
          Object.assign(db, {
            dialect: { ...dialect, commit: async (runner: Parameters<typeof dialect.commit>[0]) => (await dialect.commit(runner), steps.push('commit')) },
          });
          const subscription = store.changes$.subscribe((change) => steps.push(`publish ${change.position}`));
          try {
            await act(initialState(randomUUID()), schedule());
            expect(steps).toEqual(['commit', 'publish 1']);
          } finally {
            subscription.unsubscribe();
            Object.assign(db, { dialect });
          }
        },
        TIMEOUT,
      );

      it(
        'publishes nothing for a failed append',
        async () => {
          const id = randomUUID();
          await play(id, [[schedule()]]);
          const seen: CallChange[] = [];
          const subscription = store.changes$.subscribe((change) => seen.push(change));
          try {
            await expect(act(initialState(id), schedule())).rejects.toBeInstanceOf(ConcurrencyError);
            await act(initialState('keyed'), schedule(), at(0), { idempotency: { key: 'taken', requestHash: 'h' } });
            seen.length = 0;
            await expect(act(initialState('dup'), schedule(), at(0), { idempotency: { key: 'taken', requestHash: 'h' } })).rejects.toThrow();
            expect(seen).toEqual([]);
          } finally {
            subscription.unsubscribe();
          }
        },
        TIMEOUT,
      );
    });

    describe('call views: pagination and queries', () => {
      const ENDINGS: CallStatus[] = ['completed', 'busy', 'missed', 'failed'];

      /** 250 calls: 150 pending (some retrying, many sharing a due time) and 100 in history. */
      async function seed(): Promise<{ pending: CallView[]; history: CallView[] }> {
        const made: CallState[] = [];
        for (let i = 0; i < 250; i++) {
          const id = `call-${String(i).padStart(4, '0')}`;
          const phone = i % 3 === 0 ? '+14155550100' : '+442079460958';
          // Groups of ten share a scheduled time, so the id must break ties.
          const when = at((10 + Math.floor(i / 10)) * MINUTE);
          const kind = i % 5;
          let state = await play(id, [[schedule(phone, when)]]);
          if (kind === 1) {
            // A retrying call: its due time is the retry time, not the scheduled time.
            state = (await act(state, start, when)).state;
            state = (await act(state, certainFailure, when)).state;
          } else if (kind === 2) {
            state = (await act(state, { type: 'CancelCall' }, at(0))).state;
          } else if (kind === 3) {
            const status = ENDINGS[Math.floor(i / 5) % ENDINGS.length];
            if (status === 'missed') {
              state = (await act(state, start, new Date(when.getTime() + 16 * MINUTE))).state;
            } else if (status === 'failed') {
              state = (await act(state, start, when)).state;
              state = (await act(state, { ...certainFailure, reason: 'HTTP 400', retryable: false } as CallCommand, when)).state;
            } else {
              state = (await act(state, start, when)).state;
              state = (await act(state, dispatched, when)).state;
              state = (await act(state, providerSays(status, 3), when)).state;
            }
          }
          made.push(state);
        }
        const all = made.map(toCallView);
        return { pending: all.filter((v) => v.status === 'pending'), history: all.filter((v) => v.status !== 'pending') };
      }

      async function walk(
        fetch: (cursor?: string) => Promise<{ items: CallView[]; nextCursor: string | null }>,
      ): Promise<{ items: CallView[]; pages: number }> {
        const items: CallView[] = [];
        let cursor: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await fetch(cursor);
          pages += 1;
          items.push(...page.items);
          if (page.nextCursor === null) return { items, pages };
          expect(page.items.length).toBeGreaterThan(0);
          cursor = page.nextCursor;
          if (pages > 300) throw new Error('pagination does not end');
        }
      }

      const byDue = (a: CallView, b: CallView) => cmp(a.nextAttemptAt ?? '', b.nextAttemptAt ?? '') || cmp(a.id, b.id);
      // History: latest change first, so a call cancelled now sits above one that ended earlier, whatever their scheduled times.
      const byChangeDesc = (a: CallView, b: CallView) => cmp(b.updatedAt, a.updatedAt) || cmp(b.id, a.id);

      it(
        'walks 250 calls page by page, every call exactly once: pending soonest first, history latest first',
        async () => {
          const { pending, history } = await seed();
          expect(pending.length + history.length).toBe(250);
          expect(pending.some((v) => v.nextAttemptAt !== v.scheduledAt)).toBe(true);
          expect(new Set(history.map((v) => v.status))).toEqual(new Set(['cancelled', 'completed', 'busy', 'missed', 'failed']));

          const pendingWalk = await walk((cursor) => views.pending(7, cursor));
          expect(pendingWalk.pages).toBe(Math.ceil(pending.length / 7));
          expect(pendingWalk.items).toEqual([...pending].sort(byDue));

          const historyWalk = await walk((cursor) => views.history(9, cursor, {}));
          expect(historyWalk.pages).toBe(Math.ceil(history.length / 9));
          expect(historyWalk.items).toEqual([...history].sort(byChangeDesc));
          // Not the scheduled order: the seed's cancellations happen before anything is scheduled.
          expect(historyWalk.items).not.toEqual([...history].sort((a, b) => cmp(b.scheduledAt, a.scheduledAt) || cmp(b.id, a.id)));
          expect(new Set(historyWalk.items.map((v) => v.id)).size).toBe(history.length);

          const busy = await walk((cursor) => views.history(4, cursor, { status: 'busy' }));
          expect(busy.items).toEqual(history.filter((v) => v.status === 'busy').sort(byChangeDesc));
          expect(busy.items.length).toBeGreaterThan(4);

          const byPhone = await walk((cursor) => views.history(6, cursor, { phoneNumber: '+14155550100' }));
          expect(byPhone.items).toEqual(history.filter((v) => v.phoneNumber === '+14155550100').sort(byChangeDesc));

          const both = await walk((cursor) => views.history(3, cursor, { status: 'cancelled', phoneNumber: '+442079460958' }));
          expect(both.items).toEqual(history.filter((v) => v.status === 'cancelled' && v.phoneNumber === '+442079460958').sort(byChangeDesc));
          expect(both.items.length).toBeGreaterThan(0);

          // Several statuses at once, and a number search (digits the E.164 number contains), paged.
          const several = await walk((cursor) => views.history(5, cursor, { status: ['busy', 'missed'] }));
          expect(several.items).toEqual(history.filter((v) => v.status === 'busy' || v.status === 'missed').sort(byChangeDesc));
          const partial = await walk((cursor) => views.history(5, cursor, { phoneDigits: ['2079460', '999999999'] }));
          expect(partial.items).toEqual(history.filter((v) => v.phoneNumber.includes('2079460')).sort(byChangeDesc));
          expect(partial.items.length).toBeGreaterThan(0);
          const pendingSearch = await walk((cursor) => views.pending(5, cursor, ['4155550100']));
          expect(pendingSearch.items).toEqual(pending.filter((v) => v.phoneNumber.includes('4155550100')).sort(byDue));
          expect(pendingSearch.items.length).toBeGreaterThan(0);
        },
        TIMEOUT,
      );

      it(
        'answers a single page with no cursor when everything fits',
        async () => {
          await play('only', [[schedule()]]);
          await expect(views.pending(10)).resolves.toMatchObject({ items: [{ id: 'only' }], nextCursor: null });
          await expect(views.history(10, undefined, {})).resolves.toEqual({ items: [], nextCursor: null });
        },
        TIMEOUT,
      );

      it(
        'refuses a history cursor of the former scheduled-time order instead of misreading it',
        async () => {
          await play('only', [[schedule()]]);
          const old = Buffer.from('["2030-01-01T09:00:00.000Z","call-0001"]').toString('base64url');
          await expect(views.history(10, old, {})).rejects.toBeInstanceOf(InvalidCursorError);
        },
        TIMEOUT,
      );

      it.each([
        ['not base64 JSON', 'not a cursor!'],
        ['JSON that is not an array', Buffer.from('{"k":"v"}').toString('base64url')],
        ['an array of one', Buffer.from('["2030-01-01T09:00:00.000Z"]').toString('base64url')],
        ['an array of numbers', Buffer.from('[1,2]').toString('base64url')],
      ])(
        'refuses a malformed cursor (%s) with InvalidCursorError',
        async (_what, cursor) => {
          await play('only', [[schedule()]]);
          await expect(views.pending(10, cursor)).rejects.toBeInstanceOf(InvalidCursorError);
          await expect(views.history(10, cursor, {})).rejects.toBeInstanceOf(InvalidCursorError);
        },
        TIMEOUT,
      );

      it(
        'lists the calls due now, soonest first, and when the next one is due',
        async () => {
          await expect(views.nextDueAt()).resolves.toBeNull();
          await play('late', [[schedule('+14155550100', at(2 * MINUTE))]]);
          await play('early', [[schedule('+14155550100', at(MINUTE))]]);
          await play('future', [[schedule('+14155550100', at(60 * MINUTE))]]);
          await play('gone', [[schedule('+14155550100', at(MINUTE))], [{ type: 'CancelCall' }]]);

          await expect(views.nextDueAt()).resolves.toBe(at(MINUTE).toISOString());
          expect((await views.due(at(2 * MINUTE), 10)).map((v) => v.id)).toEqual(['early', 'late']);
          expect((await views.due(at(2 * MINUTE), 1)).map((v) => v.id)).toEqual(['early']);
          await expect(views.due(at(0), 10)).resolves.toEqual([]);
        },
        TIMEOUT,
      );

      it(
        'counts calls by status and finds calls in given statuses',
        async () => {
          await play('p1', [[schedule()]]);
          await play('p2', [[schedule()]]);
          await play('c1', [[schedule()], [{ type: 'CancelCall' }]]);
          await play('d1', [[schedule()], [start], [dispatched, at(1_000)]]);

          await expect(views.countsByStatus()).resolves.toEqual({ pending: 2, cancelled: 1, dispatched: 1 });
          expect((await views.inStatuses(['dispatched', 'cancelled'])).map((v) => v.id).sort()).toEqual(['c1', 'd1']);
          expect((await views.recentlyDispatched(5)).map((v) => v.id)).toEqual(['d1']);
          expect(await viewCount()).toBe(4);
        },
        TIMEOUT,
      );
    });
  });
}

// Byte order, the order both engines use for these ASCII keys (PostgreSQL test databases use the C collation).
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
