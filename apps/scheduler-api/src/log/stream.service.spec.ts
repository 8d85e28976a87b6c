import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import type { CallView, StoredEventView } from '#domain';
import type { CallChange, CallViewRepository, EventStore } from '#persistence';
import { LongReadGate } from './long-read-gate.js';
import { Clock } from '../common/clock.js';
import type { RawCapableReply } from '../common/raw-reply.js';
import type { LogFeed } from './log-feed.js';
import { StreamService } from './stream.service.js';

/** The raw response and, for takeRaw, the reply around it. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  hijacked = false;
  get raw() {
    return this;
  }
  hijack() {
    this.hijacked = true;
  }
  getHeaders() {
    return {};
  }
  header(name: string, value: string) {
    this.setHeader(name, value);
  }
  ended = false;
  writableLength = 0;
  headers: Record<string, string> = {};
  statusCode = 200;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  flushHeaders() {
    // headers go out with the first write in this fake
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
    this.emit('close');
  }
  /** The `id:` of every change frame sent so far. */
  ids(): number[] {
    // A replayed page is one write of many frames.
    const frames = this.chunks.join('').split('\n\n');
    return frames.filter((f) => f.startsWith('event: change')).map((f) => Number(/\nid: (\d+)(\n|$)/.exec(f)![1]));
  }
}

const view = (id: string): CallView => ({ id, version: 1, status: 'pending' }) as CallView;
const stored = (position: number, streamId = 'c1'): StoredEventView => ({
  position,
  streamId,
  version: position,
  type: 'CallScheduled',
  data: {},
  metadata: {},
  occurredAt: '',
  schemaVersion: 1,
});
const change = (position: number): CallChange => ({ position, event: stored(position), call: view('c1') });

function setup(log: StoredEventView[]) {
  const changes$ = new Subject<CallChange>();
  let release: () => void = () => undefined;
  const readsBlocked = new Promise<void>((resolve) => (release = resolve));
  const store = {
    changes$,
    lastPosition: () => Promise.resolve(log.at(-1)?.position ?? 0),
    readAll: async (after: number, limit: number) => {
      await readsBlocked;
      return log.filter((e) => e.position > after).slice(0, limit);
    },
  } as unknown as EventStore;
  const calls = { findByIds: (ids: string[]) => Promise.resolve(new Map(ids.map((id) => [id, view(id)]))) } as unknown as CallViewRepository;
  const gate = new LongReadGate({ active: 1, queued: 1, perClient: 2, retryAfterSeconds: 2 });
  return { service: new StreamService(store, calls, { changes$ } as unknown as LogFeed, gate, new Clock()), changes$, release, gate };
}

describe('StreamService', () => {
  it('answers as an event stream and starts a fresh client at the head', async () => {
    const { service, changes$, release } = setup([stored(1), stored(2)]);
    release();
    const res = new FakeResponse();
    await service.follow(res as unknown as RawCapableReply, null);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.chunks.join('')).toContain('event: ready\nid: 2\n');
    changes$.next(change(3));
    expect(res.ids()).toEqual([3]);
    const data: unknown = JSON.parse(/\ndata: (.*)\n/.exec(res.chunks.at(-1)!)![1]);
    expect(data).toEqual({ position: 3, event: stored(3), call: view('c1') });
    res.end();
  });

  it('replays after Last-Event-ID, then goes live with no gap and no repeat', async () => {
    const { service, changes$, release } = setup([stored(1), stored(2), stored(3), stored(4)]);
    const res = new FakeResponse();
    const following = service.follow(res as unknown as RawCapableReply, 2);
    await new Promise((resolve) => setImmediate(resolve));
    // Appends that commit while the replay reads: one already in the log page (4), one new (5).
    changes$.next(change(4));
    changes$.next(change(5));
    release();
    await following;
    changes$.next(change(6));
    expect(res.ids()).toEqual([3, 4, 5, 6]);
    res.end();
  });

  it('refuses a resume position past the head with 400 naming lastEventId, before sending anything', async () => {
    const { service, release } = setup([stored(1), stored(2)]);
    release();
    const res = new FakeResponse();
    const refused = service.follow(res as unknown as RawCapableReply, 3);
    await expect(refused).rejects.toMatchObject({ status: 400, response: { fields: { lastEventId: [expect.stringContaining('head is 2')] } } });
    expect(res.chunks).toEqual([]);
    expect(service.clients).toBe(0);
  });

  it('queues a catch-up behind a running one and starts it when that one ends', async () => {
    const { service, release, gate } = setup([stored(1), stored(2)]);
    const first = new FakeResponse();
    const second = new FakeResponse();
    const firstDone = service.follow(first as unknown as RawCapableReply, 0, 'a');
    const secondDone = service.follow(second as unknown as RawCapableReply, 0, 'b');
    await new Promise((resolve) => setImmediate(resolve));
    // One active slot in this setup: the second has its headers but waits for its first frame.
    expect(second.headers['content-type']).toContain('text/event-stream');
    expect(gate.load).toEqual({ active: 1, queued: 1 });
    release();
    await firstDone;
    expect(first.ids()).toEqual([1, 2]);
    await secondDone;
    expect(second.ids()).toEqual([1, 2]);
    expect(gate.load).toEqual({ active: 0, queued: 0 });
    first.end();
    second.end();
  });

  it('stops following when the client goes away', async () => {
    const { service, changes$, release } = setup([]);
    release();
    const res = new FakeResponse();
    await service.follow(res as unknown as RawCapableReply, null);
    expect(service.clients).toBe(1);
    res.emit('close');
    changes$.next(change(1));
    expect(res.ids()).toEqual([]);
    expect(service.clients).toBe(0);
  });

  it('closes open streams at shutdown so the server can stop', async () => {
    const { service, release } = setup([]);
    release();
    const res = new FakeResponse();
    await service.follow(res as unknown as RawCapableReply, null);
    service.beforeApplicationShutdown();
    expect(res.ended).toBe(true);
    // A client reconnecting while the server shuts down is turned away, not held open.
    const late = new FakeResponse();
    await service.follow(late as unknown as RawCapableReply, 5);
    expect(late.statusCode).toBe(503);
    expect(late.ended).toBe(true);
    expect(service.clients).toBe(0);
  });
});
