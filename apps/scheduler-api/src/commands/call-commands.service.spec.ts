import { ConcurrencyError, type CallEvent } from '#domain';
import { DatabaseUnavailableError, type AppendOptions, type EventStore, type StoredEvent } from '#persistence';
import { Clock } from '../common/clock.js';
import { loadConfig } from '../config/app-config.js';
import { CallCommandsService, type CommandResult } from './call-commands.service.js';

// What the store does on the next append: fail before the commit, or commit and then lose the answer
// (the connection dropped on the way back), as a database restart can do either.
type Fault = 'before-commit' | 'after-commit';

/** An in-memory event store with the real store's rules: version check, and retried ids recognised. */
class FakeStore {
  readonly rows: StoredEvent[] = [];
  readonly faults: Fault[] = [];
  readonly eventIdsSeen: (string[] | undefined)[] = [];

  // Runs at once and turns a throw into a rejection, as an async method would.
  append(streamId: string, expectedVersion: number, events: CallEvent[], options: AppendOptions): Promise<StoredEvent[]> {
    return new Promise((resolve) => {
      resolve(this.appendNow(streamId, expectedVersion, events, options));
    });
  }

  private appendNow(streamId: string, expectedVersion: number, events: CallEvent[], options: AppendOptions): StoredEvent[] {
    this.eventIdsSeen.push(options.eventIds);
    const ids = options.eventIds ?? events.map((_, i) => `auto-${this.rows.length + i}`);
    const retried = this.rows.filter((r) => ids.includes(r.eventId));
    if (retried.length === events.length) return retried;
    const fault = this.faults.shift();
    if (fault === 'before-commit') throw new DatabaseUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    if (this.stream(streamId).length !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion);
    const stored = events.map((event, i) => this.row(streamId, expectedVersion + i + 1, ids[i], event));
    this.rows.push(...stored);
    if (fault === 'after-commit') throw new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'));
    return stored;
  }

  readStream(streamId: string): Promise<StoredEvent[]> {
    return Promise.resolve(this.stream(streamId));
  }

  stream(streamId: string): StoredEvent[] {
    return this.rows.filter((r) => r.streamId === streamId);
  }

  private row(streamId: string, version: number, eventId: string, event: CallEvent): StoredEvent {
    const data = event.data as unknown as Record<string, unknown>;
    return {
      position: this.rows.length + 1,
      eventId,
      streamId,
      version,
      type: event.type,
      data,
      metadata: {},
      occurredAt: event.occurredAt,
      schemaVersion: 1,
      prevHash: '',
      hash: '',
    };
  }
}

const metadata = { actor: 'test' };

async function dialling(store: FakeStore, commands: CallCommandsService, id: string): Promise<CommandResult> {
  const scheduledAt = new Date(Date.now() + 100).toISOString();
  await commands.execute(id, { type: 'ScheduleCall', phoneNumber: '+14155550100', scheduledAt }, { metadata, isNew: true });
  await new Promise((r) => setTimeout(r, 120));
  return commands.execute(id, { type: 'StartDispatch' }, { metadata });
}

describe('CallCommandsService recording an answer in hand through a database outage', () => {
  let store: FakeStore;
  let commands: CallCommandsService;
  const recordDispatch = { type: 'RecordDispatch', providerCallId: 'p-1', providerStatus: 'queued' } as const;

  beforeEach(() => {
    store = new FakeStore();
    commands = new CallCommandsService(store as unknown as EventStore, new Clock(), loadConfig({}));
  });

  afterEach(() => commands.onApplicationShutdown());

  it('retries after DatabaseUnavailableError and stores the answer once, with the ids of the first try', async () => {
    const claim = await dialling(store, commands, 'c1');
    store.faults.push('before-commit', 'before-commit');
    const seenBefore = store.eventIdsSeen.length;

    const result = await commands.executeWithRetry('c1', recordDispatch, { metadata, persistUntilStored: true }, claim);

    expect(result.state.status).toBe('dispatched');
    expect(store.stream('c1').map((e) => e.type)).toEqual(['CallScheduled', 'CallDispatchStarted', 'CallDispatched']);
    const tries = store.eventIdsSeen.slice(seenBefore);
    expect(tries).toHaveLength(3);
    expect(tries[0]).toHaveLength(1);
    expect(tries[1]).toEqual(tries[0]);
    expect(tries[2]).toEqual(tries[0]);
    expect(result.events[0].eventId).toBe(tries[0]![0]);
  });

  it('returns the stored events when the first commit landed but its answer was lost: no duplicate', async () => {
    const claim = await dialling(store, commands, 'c2');
    store.faults.push('after-commit');

    const result = await commands.executeWithRetry('c2', recordDispatch, { metadata, persistUntilStored: true }, claim);

    const dispatched = store.stream('c2').filter((e) => e.type === 'CallDispatched');
    expect(dispatched).toHaveLength(1);
    expect(result.events).toEqual(dispatched);
    expect(result.state.status).toBe('dispatched');
  });

  it("without persistUntilStored an outage is the caller's to handle", async () => {
    const claim = await dialling(store, commands, 'c3');
    store.faults.push('before-commit');
    await expect(commands.executeWithRetry('c3', recordDispatch, { metadata }, claim)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(store.stream('c3').map((e) => e.type)).toEqual(['CallScheduled', 'CallDispatchStarted']);
  });

  it('gives up at shutdown instead of holding it up', async () => {
    const claim = await dialling(store, commands, 'c4');
    store.faults.push(...Array<Fault>(100).fill('before-commit'));
    const recording = commands.executeWithRetry('c4', recordDispatch, { metadata, persistUntilStored: true }, claim);
    await new Promise((r) => setTimeout(r, 300));
    commands.onApplicationShutdown();
    await expect(recording).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });
});
