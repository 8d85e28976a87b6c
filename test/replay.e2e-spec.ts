import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { decide, DEFAULT_POLICY, DomainError, evolve, foldEvents, type CallCommand, type DispatchPolicy } from '../libs/domain/src/index.js';
import { replayProjection, verifyDatabase } from '../libs/persistence/src/audit/index.js';
import { generateCalls } from '../libs/testing/src/index.js';
import { CallViewEntity, chainHash, Database, EventStore, GENESIS_HASH, openDataSource, toCallViewRow, toDomainEvent } from '../libs/persistence/src/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const REPLAY_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/replay.js');
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const CALLS = ['c-0', 'c-1', 'c-2', 'c-3'];

let dir: string;
let seq = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'call-scheduler-replay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<{ db: Database; url: string }> {
  const url = `sqlite:${join(dir, `replay-${++seq}.db`)}`;
  return { db: new Database(await openDataSource(url)), url };
}

// One step of a random scenario: which call, how much time passes first, and what is asked of it.
// Mostly a command the call's status allows (`pick` chooses which, with `params` filling it in),
// so scenarios reach deep into lifecycles; otherwise `command`, legal or not.
interface Op {
  call: number;
  advanceMs: number;
  legal: boolean;
  pick: number;
  params: { minutes: number; providerStatus: string; certain: boolean; retryable: boolean; random: number; timezone?: string };
  command: CallCommand;
}

const providerStatus = fc.constantFrom(
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'answered',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
  'mystery',
);
// Any command, legal or not: the decider refuses most of them (appending nothing).
const commandArb: fc.Arbitrary<CallCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('ScheduleCall' as const),
      phoneNumber: fc.constantFrom('+442079460958', '+14155550123', '+33199001234', 'not a number'),
      scheduledAt: fc.option(
        fc.integer({ min: -20, max: 90 }).map((m) => `@${m}`),
        { nil: undefined },
      ),
      timezone: fc.option(fc.constantFrom('Europe/London', 'America/New_York', 'Mars/Olympus'), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('RescheduleCall' as const), scheduledAt: fc.integer({ min: -5, max: 120 }).map((m) => `@${m}`) }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('CancelCall' as const), reason: fc.option(fc.constantFrom('customer asked', ''), { nil: undefined }) }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'DispatchNow' as const }) },
  { weight: 4, arbitrary: fc.constant({ type: 'StartDispatch' as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('RecordDispatch' as const), providerCallId: fc.uuid(), providerStatus }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('RecordDispatchFailure' as const),
      reason: fc.constantFrom('503', 'timeout', 'ECONNREFUSED'),
      certain: fc.boolean(),
      retryable: fc.boolean(),
      random: fc.double({ min: 0, max: 0.999, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('RecordLostAttempt' as const), reason: fc.constant('crashed mid-dial') }) },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('RecordStatus' as const),
      providerStatus,
      duration: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('LoseTracking' as const), reason: fc.constant('404 ten times') }) },
);
const opArb: fc.Arbitrary<Op> = fc.record({
  call: fc.integer({ min: 0, max: CALLS.length - 1 }),
  advanceMs: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 5_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 * 60_000 }) }),
  legal: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.85),
  pick: fc.nat(),
  params: fc.record({
    minutes: fc.integer({ min: -5, max: 60 }),
    providerStatus,
    certain: fc.boolean(),
    retryable: fc.boolean(),
    random: fc.double({ min: 0, max: 0.999, noNaN: true }),
    timezone: fc.option(fc.constantFrom('Europe/London', 'America/New_York'), { nil: undefined }),
  }),
  command: commandArb,
});

function legalCommands(status: string, p: Op['params']): CallCommand[] {
  switch (status) {
    case 'new':
      return [{ type: 'ScheduleCall', phoneNumber: '+442079460958', scheduledAt: `@${p.minutes}`, timezone: p.timezone }];
    case 'pending':
      return [
        { type: 'StartDispatch' },
        { type: 'StartDispatch' },
        { type: 'StartDispatch' },
        { type: 'RescheduleCall', scheduledAt: `@${p.minutes}` },
        { type: 'CancelCall', reason: 'changed mind' },
        { type: 'DispatchNow' },
      ];
    case 'dispatching':
      return [
        { type: 'RecordDispatch', providerCallId: 'p-1', providerStatus: 'initiated' },
        { type: 'RecordDispatch', providerCallId: 'p-2', providerStatus: p.providerStatus },
        { type: 'RecordDispatchFailure', reason: 'Call API 503', certain: p.certain, retryable: p.retryable },
        { type: 'RecordLostAttempt', reason: 'crashed mid-dial' },
      ];
    case 'dispatched':
    case 'ringing':
    case 'connected':
      return [
        { type: 'RecordStatus', providerStatus: p.providerStatus, duration: p.minutes > 0 ? p.minutes * 7 : undefined },
        { type: 'RecordStatus', providerStatus: p.providerStatus },
        { type: 'RecordStatus', providerStatus: 'ringing' },
        { type: 'LoseTracking', reason: '404 ten times' },
      ];
    case 'outcome-unknown':
      return [{ type: 'DispatchNow' }, { type: 'CancelCall' }];
    default:
      return [];
  }
}

// "@m" stands for "m minutes after now": resolved when the step runs, so times follow the clock.
function resolveTimes(command: CallCommand, now: number): CallCommand {
  const at = (v: string | undefined) => (v?.startsWith('@') ? new Date(now + Number(v.slice(1)) * 60_000).toISOString() : v);
  if (command.type === 'ScheduleCall') return { ...command, scheduledAt: at(command.scheduledAt) };
  if (command.type === 'RescheduleCall') return { ...command, scheduledAt: at(command.scheduledAt)! };
  return command;
}

function fixedOp(call: number, advanceMs: number, command: CallCommand): Op {
  return { call, advanceMs, legal: false, pick: 0, params: { minutes: 0, providerStatus: 'ringing', certain: true, retryable: true, random: 0 }, command };
}

/** The services' path: load the stream, decide, append with the state after the events. */
async function runScenario(store: EventStore, ops: readonly Op[], policy: DispatchPolicy): Promise<number> {
  let now = T0;
  let appended = 0;
  for (const op of ops) {
    now += op.advanceMs;
    const id = CALLS[op.call];
    const history = await store.readStream(id);
    const state = foldEvents(id, history.map(toDomainEvent));
    const legal = op.legal ? legalCommands(state.status, op.params) : [];
    const command = legal.length > 0 ? legal[op.pick % legal.length] : op.command;
    let events;
    try {
      events = decide(resolveTimes(command, now), state, new Date(now), policy, op.params.random);
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    if (events.length === 0) continue;
    await store.append(id, state.version, events, { metadata: { actor: 'replay-property' }, state: events.reduce(evolve, state) });
    appended += events.length;
  }
  return appended;
}

describe('replay', () => {
  it('rebuilds exactly the live projection from any sequence of commands (property)', async () => {
    let totalAppended = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 80, size: 'max' }), fc.boolean(), async (ops, idempotentProvider) => {
        const { db } = await freshDatabase();
        try {
          const store = new EventStore(db);
          const appended = await runScenario(store, ops, { ...DEFAULT_POLICY, idempotentProvider });
          totalAppended += appended;
          const report = await replayProjection(db);
          expect(report).toMatchObject({ events: appended, differences: 0, anomalies: 0, applied: false });
          expect(report.replayedRows).toBe(report.liveRows);

          // And the live rows are what folding each stream gives (the projection's definition).
          const live = await db.read((m) => m.find(CallViewEntity, { order: { id: 'ASC' } }));
          const folded = [];
          for (const id of CALLS) {
            const events = await store.readStream(id);
            if (events.length > 0) folded.push(toCallViewRow(foldEvents(id, events.map(toDomainEvent))));
          }
          expect(live).toEqual(folded);
        } finally {
          await db.close();
        }
      }),
      { numRuns: 40 },
    );
    // The scenarios must reach deep into lifecycles, or the property would prove little.
    expect(totalAppended).toBeGreaterThan(40 * 10);
  }, 60_000);

  it('reports a damaged projection row by row, changes nothing without --apply, and repairs it with apply', async () => {
    const { db } = await freshDatabase();
    try {
      await generateCalls(db, { events: 3000, seed: 11, start: new Date(T0) });
      const [victim, nulled] = await db.read((m) => m.find(CallViewEntity, { where: { status: 'pending' }, order: { id: 'ASC' }, take: 2 }));
      const gone = await db.read((m) => m.findOneOrFail(CallViewEntity, { where: { status: 'completed' }, order: { id: 'ASC' } }));
      expect(victim.dueAt).not.toBeNull();
      expect(victim.endedAt).toBeNull();
      // Two changed values, a NULL where the log has a value, and a value where it has NULL.
      await db.dataSource.query(`UPDATE call_views SET status = 'completed', attempts = 7, due_at = NULL, ended_at = 'x' WHERE id = ?`, [victim.id]);
      // A row whose only difference is a NULL (NULL <> value is not true in SQL: this must still count).
      await db.dataSource.query('UPDATE call_views SET due_at = NULL WHERE id = ?', [nulled.id]);
      await db.dataSource.query('DELETE FROM call_views WHERE id = ?', [gone.id]);
      await db.dataSource.query(
        `INSERT INTO call_views (id, phone_number, scheduled_at, status, attempts, created_at, updated_at, version)
         VALUES ('zz-orphan', '+442079460958', '2026-03-01T10:00:00.000Z', 'pending', 0, '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', 1)`,
      );

      const dry = await replayProjection(db, { show: 10 });
      expect(dry.differences).toBe(4);
      expect(dry.applied).toBe(false);
      expect(dry.firstDifferences).toEqual(
        expect.arrayContaining([
          {
            id: victim.id,
            kind: 'different',
            columns: expect.arrayContaining([
              { column: 'status', live: 'completed', replayed: victim.status },
              { column: 'attempts', live: 7, replayed: victim.attempts },
              { column: 'due_at', live: null, replayed: victim.dueAt },
              { column: 'ended_at', live: 'x', replayed: null },
            ]),
          },
          { id: nulled.id, kind: 'different', columns: [{ column: 'due_at', live: null, replayed: nulled.dueAt }] },
          { id: gone.id, kind: 'missing' },
          { id: 'zz-orphan', kind: 'extra' },
        ]),
      );
      // A dry run leaves call_views as it was and drops its scratch table.
      const after = await db.dataSource.query('SELECT status FROM call_views WHERE id = ?', [victim.id]);
      expect(after).toEqual([{ status: 'completed' }]);
      const scratch = await db.dataSource.query(`SELECT name FROM sqlite_master WHERE name = 'call_views_replay'`);
      expect(scratch).toEqual([]);

      const fixed = await replayProjection(db, { apply: true });
      expect(fixed).toMatchObject({ differences: 4, applied: true });
      const again = await replayProjection(db);
      expect(again).toMatchObject({ differences: 0, anomalies: 0 });
      expect(again.liveRows).toBe(dry.replayedRows);
      const restored = await db.read((m) => m.findOneByOrFail(CallViewEntity, { id: victim.id }));
      expect(restored).toEqual(victim);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('folds in events appended while it runs instead of reporting them as differences', async () => {
    const { db } = await freshDatabase();
    try {
      await generateCalls(db, { events: 2000, seed: 5, start: new Date(T0) });
      const store = new EventStore(db);
      const late = 'late-call';
      let appending: Promise<unknown> | null = null;
      const report = await replayProjection(db, {
        pageSize: 100,
        onProgress: (p) => {
          // Mid-fold, a service appends to the log (it takes its turn between two pages).
          if (p.phase !== 'fold' || appending || p.events < 500) return;
          const state = foldEvents(late, []);
          const events = decide({ type: 'ScheduleCall', phoneNumber: '+442079460958' }, state, new Date(T0 + 86_400_000), DEFAULT_POLICY);
          appending = store.append(late, 0, events, { metadata: { actor: 'service' }, state: events.reduce(evolve, state) });
        },
      });
      // Assigned inside onProgress, which TypeScript's narrowing cannot see (it still reads `null`).
      await (appending as Promise<unknown> | null);
      expect(appending).not.toBeNull();
      expect(report).toMatchObject({ differences: 0, anomalies: 0, events: 2001, headPosition: 2001 });
      expect(report.replayedRows).toBe(report.liveRows);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('replays a log written before CallScheduled gained timezone (schema v1) through the upcaster', async () => {
    const { db } = await freshDatabase();
    try {
      const store = new EventStore(db);
      await runScenario(
        store,
        [
          fixedOp(0, 0, { type: 'ScheduleCall', phoneNumber: '+442079460958', scheduledAt: '@30' }),
          fixedOp(1, 0, { type: 'ScheduleCall', phoneNumber: '+14155550123', scheduledAt: '@10' }),
          fixedOp(1, 600_000, { type: 'StartDispatch' }),
        ],
        DEFAULT_POLICY,
      );
      // Rewrite the CallScheduled rows as an older release stored them, re-chaining the hashes.
      const rows: Record<string, unknown>[] = await db.dataSource.query('SELECT * FROM events ORDER BY position');
      let prevHash = GENESIS_HASH;
      for (const row of rows) {
        if (row.type === 'CallScheduled') {
          const { timezone: _tz, ...v1 } = JSON.parse(row.data as string) as Record<string, unknown>;
          row.data = JSON.stringify(v1);
          row.schema_version = 1;
        }
        const hash = chainHash(prevHash, {
          position: Number(row.position),
          streamId: row.stream_id as string,
          version: row.version as number,
          type: row.type as string,
          schemaVersion: row.schema_version as number,
          data: row.data as string,
          metadata: row.metadata as string,
          occurredAt: row.occurred_at as string,
        });
        await db.dataSource.query('UPDATE events SET data = ?, schema_version = ?, prev_hash = ?, hash = ? WHERE position = ?', [
          row.data,
          row.schema_version,
          prevHash,
          hash,
          row.position,
        ]);
        prevHash = hash;
      }
      const stored = await db.dataSource.query(`SELECT data, schema_version AS v FROM events WHERE type = 'CallScheduled' LIMIT 1`);
      expect(stored[0].v).toBe(1);
      expect(JSON.parse(stored[0].data)).not.toHaveProperty('timezone');

      await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true, events: 3 });
      await expect(replayProjection(db)).resolves.toMatchObject({ differences: 0, anomalies: 0, events: 3 });
      const [scheduled] = await store.readStream('c-0');
      expect(scheduled).toMatchObject({ schemaVersion: 4, data: { phoneNumber: '+442079460958', timezone: null, callingWindow: null } });
    } finally {
      await db.close();
    }
  });

  it('matches the projection the generator wrote, for a realistic mix of lifecycles', async () => {
    const { db } = await freshDatabase();
    try {
      const generated = await generateCalls(db, { events: 20_000, seed: 3, start: new Date(T0) });
      expect(generated.rejected).toBe(0);
      expect(generated.events).toBe(20_000);
      for (const status of ['pending', 'completed', 'busy', 'no-answer', 'failed', 'cancelled', 'missed']) {
        expect(generated.byStatus[status]).toBeGreaterThan(0);
      }
      const report = await replayProjection(db);
      expect(report).toMatchObject({ events: 20_000, differences: 0, anomalies: 0, replayedRows: generated.calls, liveRows: generated.calls });
      const types = await db.dataSource.query('SELECT DISTINCT type FROM events ORDER BY type');
      expect(types.map((t: { type: string }) => t.type)).toEqual(
        expect.arrayContaining([
          'CallScheduled',
          'CallRescheduled',
          'CallCancelled',
          'CallDispatchStarted',
          'CallDispatched',
          'CallDispatchFailed',
          'CallOutcomeUnknown',
          'CallStatusChanged',
          'CallMissed',
        ]),
      );
    } finally {
      await db.close();
    }
  }, 60_000);

  it('npm run replay: exit 1 listing differences, --apply repairs, then exit 0', async () => {
    expect(existsSync(REPLAY_CLI)).toBe(true); // build first: npx tsc -p tsconfig.build.json
    const { db, url } = await freshDatabase();
    try {
      await generateCalls(db, { events: 1500, seed: 2, start: new Date(T0) });
      await db.dataSource.query(`UPDATE call_views SET phone_number = '+10000000000' WHERE id = (SELECT MIN(id) FROM call_views)`);
    } finally {
      await db.close();
    }
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [REPLAY_CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: url }, encoding: 'utf8' });
    const dry = run();
    expect(dry.status).toBe(1);
    expect(dry.stdout).toMatch(/differences: 1\b/);
    expect(dry.stdout).toMatch(/phone_number live="\+10000000000" replayed="\+/);
    const apply = run('--apply');
    expect(apply.status).toBe(0);
    expect(apply.stdout).toMatch(/applied/);
    const clean = run('--json');
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ events: 1500, differences: 0 });
  }, 60_000);
});
