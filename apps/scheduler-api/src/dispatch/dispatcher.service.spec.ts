import { Subject } from 'rxjs';
import type { CallView } from '#domain';
import type { CallCommandsService } from '../commands/call-commands.service.js';
import { loadConfig } from '../config/app-config.js';
import type { CallApiClient, PlaceCallResult } from './call-api.client.js';
import { CallApiCircuit } from './circuit/call-api-circuit.service.js';
import { DispatcherService } from './dispatcher.service.js';
import type { StatusFollowerService } from './status-follower.service.js';

// The dispatcher's orchestration with everything around it faked: the order of claim and dial,
// what it records for each answer, and what it does (not) start once shutdown has begun.

const NOW = Date.parse('2026-01-01T12:00:00.000Z');

function call(id: string, overrides: Partial<CallView> = {}): CallView {
  const at = new Date(NOW - 10).toISOString();
  return {
    id,
    phoneNumber: '+14155550100',
    scheduledAt: at,
    timezone: null,
    callingWindow: null,
    windowOpensAt: null,
    connectedAt: null,
    status: 'pending',
    attempts: 0,
    providerCallId: null,
    providerStatus: null,
    lastError: null,
    latenessMs: null,
    duration: null,
    nextAttemptAt: at,
    deadline: null,
    createdAt: at,
    updatedAt: at,
    dispatchedAt: null,
    endedAt: null,
    version: 1,
    ...overrides,
  };
}

function setup(env: Record<string, string> = {}) {
  const log: string[] = [];
  let pending: CallView[] = [];
  let dispatching: CallView[] = [];
  const answers = new Map<string, () => Promise<PlaceCallResult>>();
  const claimedDueAt = new Map<string, string>();

  const commands = {
    execute: (id: string, command: { type: string }) => {
      log.push(`${command.type} ${id}`);
      return Promise.resolve({ state: {}, events: [] });
    },
    // The claim's decision, as the real decider makes it: missed past the deadline, started otherwise.
    decideNow: (command: { dueAt: string }, state: { id: string; deadline: string | null }, now: Date) =>
      now.getTime() > Date.parse(state.deadline ?? '9999-01-01T00:00:00Z')
        ? [{ type: 'CallMissed', data: { reason: 'past its deadline' } }]
        : [{ type: 'CallDispatchStarted', data: { idempotencyKey: `${state.id}:1`, dueAt: command.dueAt } }],
    executeWithRetry: (id: string, command: { type: string; reason?: string; certain?: boolean; retryable?: boolean }) => {
      const detail = command.type === 'RecordDispatchFailure' ? ` (${command.reason}, certain=${command.certain}, retryable=${command.retryable})` : '';
      log.push(`${command.type} ${id}${detail}`);
      return Promise.resolve({ state: {}, events: [] });
    },
    policy: { misfireGraceMs: 15 * 60_000 },
  };
  let nextDueAt: () => Promise<string | null> = () => Promise.resolve(null);
  const views = {
    due: (_now: Date, limit: number) => Promise.resolve(pending.slice(0, limit)),
    nextDueAt: () => nextDueAt(),
    inStatuses: () => Promise.resolve(dispatching),
  };
  const callApi = {
    placeCall: async (phoneNumber: string, key: string): Promise<PlaceCallResult> => {
      log.push(`POST ${phoneNumber} ${key}`);
      const answer = answers.get(key.split(':')[0]);
      return answer ? answer() : { ok: true, providerCallId: `p-${key}`, providerStatus: 'initiated' };
    },
  };
  const followed = new Set<string>();
  const follower = {
    follow: (id: string, providerCallId: string) => {
      followed.add(id);
      log.push(`follow ${id} ${providerCallId}`);
    },
    isFollowing: (id: string) => followed.has(id),
  };
  // The batched claim: up to `limit` due calls, each decided and taken out of the pending list.
  let claimDelayMs = 0;
  const claims = {
    claim: async (options: { now: Date; limit: number; decide: (state: unknown, dueAt: string) => { type: string; data: Record<string, unknown> }[] }) => {
      if (claimDelayMs > 0) await new Promise((r) => setTimeout(r, claimDelayMs));
      const batch = pending.slice(0, options.limit);
      pending = pending.slice(batch.length);
      const calls = batch.map((c) => {
        log.push(`StartDispatch ${c.id}`);
        claimedDueAt.set(c.id, c.nextAttemptAt ?? '');
        const deadline = c.deadline ?? new Date(Date.parse(c.nextAttemptAt ?? c.scheduledAt) + config.misfireGraceMs).toISOString();
        const events = options.decide({ id: c.id, deadline }, c.nextAttemptAt ?? '');
        return { state: { id: c.id, phoneNumber: `+1415555${c.id.padStart(4, '0')}`, attempts: 1 }, events };
      });
      return { calls, capped: false };
    },
  };
  const cluster = { enabled: false, hold: () => undefined, release: () => undefined, letGo: () => undefined };
  let elapsed = 0;
  const clock = { now: () => new Date(NOW + elapsed) };
  const config = loadConfig({ DISPATCH_INTERVAL_MS: '60000', SHUTDOWN_GRACE_MS: '2000', ...env });
  commands.policy.misfireGraceMs = config.misfireGraceMs;
  const circuitLog: string[] = [];
  const store = {
    changes$: new Subject(),
    readLast: () => Promise.resolve(null),
    append: (stream: string, _version: number, events: { type: string }[]) => Promise.resolve(circuitLog.push(`${stream} ${events[0].type}`)),
  };
  const circuit = new CallApiCircuit(store as never, { countDue: () => Promise.resolve(pending.length) } as never, callApi as never, clock, config);

  const dispatcher = new DispatcherService(
    commands as unknown as CallCommandsService,
    views as never,
    store as never,
    callApi as unknown as CallApiClient,
    follower as unknown as StatusFollowerService,
    circuit,
    clock,
    config,
    { lastOutageEndedAt: null } as never,
    claims as never,
    cluster as never,
    {} as never,
    { advanced$: new Subject<number>() } as never,
  );
  return {
    dispatcher,
    circuit,
    circuitLog,
    log,
    answers,
    claimedDueAt,
    setPending: (calls: CallView[]) => (pending = calls),
    setClaimDelay: (ms: number) => (claimDelayMs = ms),
    setNextDueAt: (read: () => Promise<string | null>) => (nextDueAt = read),
    advance: (ms: number) => (elapsed += ms),
    setDispatching: (calls: CallView[]) => (dispatching = calls),
  };
}

async function settle(dispatcher: DispatcherService): Promise<void> {
  for (let i = 0; i < 50 && dispatcher.inFlightCount > 0; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 5));
}

describe('DispatcherService', () => {
  it('claims the attempt before it dials, then records the answer and follows the call', async () => {
    const t = setup();
    t.setPending([call('1')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    expect(t.log).toEqual(['StartDispatch 1', 'POST +14155550001 1:1', 'RecordDispatch 1', 'follow 1 p-1:1']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('does not drop a wake-up that comes while it arms the next one: the call it was for is claimed at once', async () => {
    const t = setup();
    let answerRead: (next: string | null) => void = () => undefined;
    t.setNextDueAt(() => new Promise((resolve) => (answerRead = resolve)));
    // Nothing due: the pass goes on to read when the next call is due, and that read is still out…
    const first = t.dispatcher.sweep();
    await new Promise((r) => setImmediate(r));
    // …when the timer fires for a call that is due now. That timer is spent: no other will come.
    t.setPending([call('7')]);
    t.setNextDueAt(() => Promise.resolve(null));
    void t.dispatcher.sweep();
    answerRead(null);
    await first;
    await settle(t.dispatcher);
    expect(t.log).toContain('StartDispatch 7');
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('claims with the due time it read, so a call rescheduled since is not started', async () => {
    const t = setup();
    const read = call('10');
    t.setPending([read]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    expect(t.claimedDueAt.get('10')).toBe(read.nextAttemptAt);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('records a failed dial with its classification and does not follow it', async () => {
    const t = setup();
    t.answers.set('2', () => Promise.resolve<PlaceCallResult>({ ok: false, unavailable: false, certain: true, retryable: false, reason: 'HTTP 400' }));
    t.setPending([call('2')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    expect(t.log).toEqual(['StartDispatch 2', 'POST +14155550002 2:1', 'RecordDispatchFailure 2 (HTTP 400, certain=true, retryable=false)']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('spends no rate token on a call past its misfire grace', async () => {
    const t = setup({ DISPATCH_RATE: '1', MISFIRE_GRACE: '1s' });
    const overdue = new Date(NOW - 60_000).toISOString();
    t.setPending([call('3', { scheduledAt: overdue, nextAttemptAt: overdue }), call('4')]);
    const started = Date.now();
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    // Both went out at once: the missed one did not use up the single token.
    expect(Date.now() - started).toBeLessThan(500);
    expect(t.log.filter((l) => l.startsWith('StartDispatch'))).toEqual(['StartDispatch 3', 'StartDispatch 4']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('resolves an attempt left dispatching longer than the timeout as lost, without dialling', async () => {
    const t = setup({ CALL_API_TIMEOUT_MS: '1000' });
    const stale = new Date(NOW - 3001).toISOString();
    const fresh = new Date(NOW - 2000).toISOString();
    t.setDispatching([call('5', { status: 'dispatching', updatedAt: stale }), call('6', { status: 'dispatching', updatedAt: fresh })]);
    await t.dispatcher.sweep();
    expect(t.log).toEqual(['RecordLostAttempt 5']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('looks for lost attempts once per DISPATCH_INTERVAL_MS, not on every sweep a finishing dial triggers', async () => {
    const t = setup({ CALL_API_TIMEOUT_MS: '1000', DISPATCH_INTERVAL_MS: '60000' });
    const stale = new Date(NOW - 3001).toISOString();
    t.setDispatching([call('11', { status: 'dispatching', updatedAt: stale })]);
    await t.dispatcher.sweep();
    await t.dispatcher.sweep();
    await t.dispatcher.sweep();
    expect(t.log).toEqual(['RecordLostAttempt 11']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('waits at shutdown for a dial in flight to be answered and recorded', async () => {
    const t = setup();
    let answer!: (result: PlaceCallResult) => void;
    t.answers.set('7', () => new Promise((resolve) => (answer = resolve)));
    t.setPending([call('7')]);
    await t.dispatcher.sweep();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.dispatcher.inFlightCount).toBe(1);
    const shutdown = t.dispatcher.beforeApplicationShutdown();
    setTimeout(() => answer({ ok: true, providerCallId: 'p-7', providerStatus: 'initiated' }), 50);
    await shutdown;
    expect(t.log).toContain('RecordDispatch 7');
    expect(t.dispatcher.inFlightCount).toBe(0);
  });

  it('ends its shutdown once a sweep in progress ends, without spinning until the grace period is over', async () => {
    const t = setup();
    t.setClaimDelay(100);
    t.setPending([call('12')]);
    const sweep = t.dispatcher.sweep();
    await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await t.dispatcher.beforeApplicationShutdown();
    // The grace period is 2 s: ending well before it means the wait let the claim's timer run.
    expect(performance.now() - started).toBeLessThan(1000);
    await sweep;
  });

  it('starts no dial once shutdown has begun, even one that was waiting for a rate token', async () => {
    const t = setup({ DISPATCH_RATE: '1', DISPATCH_CONCURRENCY: '4' });
    t.setPending([call('8'), call('9')]);
    // The first call takes the only token; the sweep then waits a second for the next one.
    const sweep = t.dispatcher.sweep();
    await new Promise((r) => setTimeout(r, 50));
    await t.dispatcher.beforeApplicationShutdown();
    await sweep;
    expect(t.log.filter((l) => l.startsWith('POST'))).toEqual(['POST +14155550008 8:1']);
    expect(t.log).not.toContain('StartDispatch 9');
  });

  it('records an unreachable Call API as unavailable (attempt not counted), not as a failure', async () => {
    const t = setup();
    t.answers.set('20', () => Promise.resolve<PlaceCallResult>({ ok: false, unavailable: true, reason: 'ECONNREFUSED', retryAfterMs: null }));
    t.setPending([call('20')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    expect(t.log).toEqual(['StartDispatch 20', 'POST +14155550020 20:1', 'RecordDispatchUnavailable 20']);
    expect(t.circuit.status()).toMatchObject({ up: true, state: 'closed' });
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('opens the circuit after three unavailable answers in a row: no more dials, the opening is recorded', async () => {
    const t = setup({ DISPATCH_CONCURRENCY: '1' });
    for (const id of ['21', '22', '23'])
      t.answers.set(id, () => Promise.resolve<PlaceCallResult>({ ok: false, unavailable: true, reason: 'HTTP 503', retryAfterMs: null }));
    t.setPending([call('21'), call('22'), call('23'), call('24')]);
    for (let i = 0; i < 4; i++) {
      await t.dispatcher.sweep();
      await settle(t.dispatcher);
    }
    expect(t.log.filter((l) => l.startsWith('POST'))).toHaveLength(3);
    expect(t.log).not.toContain('StartDispatch 24');
    expect(t.circuit.status()).toMatchObject({ up: false, state: 'open', since: new Date(NOW).toISOString(), reason: 'HTTP 503' });
    expect(t.circuitLog).toEqual(['call-api CallApiUnavailable']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('while the circuit is open, records missed only the calls past their deadline, with the reason', async () => {
    const t = setup({ CIRCUIT_FAILURE_THRESHOLD: '1' });
    t.answers.set('25', () => Promise.resolve<PlaceCallResult>({ ok: false, unavailable: true, reason: 'ECONNREFUSED', retryAfterMs: null }));
    t.setPending([call('25')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    const past = new Date(NOW - 16 * 60_000).toISOString();
    t.setPending([call('26', { scheduledAt: past, nextAttemptAt: past }), call('27')]);
    t.advance(60_000); // deadlines are checked at the sweep cadence
    await t.dispatcher.sweep();
    expect(t.log.slice(3)).toEqual(['MissDeadline 26']);
    await t.dispatcher.beforeApplicationShutdown();
  });

  it('honours Retry-After: no dial before it has passed', async () => {
    const t = setup();
    t.answers.set('28', () => Promise.resolve<PlaceCallResult>({ ok: false, unavailable: true, reason: 'HTTP 429', retryAfterMs: 30_000 }));
    t.setPending([call('28')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    t.setPending([call('29')]);
    await t.dispatcher.sweep();
    await settle(t.dispatcher);
    expect(t.log.filter((l) => l.startsWith('POST'))).toEqual(['POST +14155550028 28:1']);
    await t.dispatcher.beforeApplicationShutdown();
  });
});
