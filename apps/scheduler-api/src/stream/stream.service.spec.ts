import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import type { Response } from 'express';
import type { CallView, StoredEventView } from '../../../../libs/domain/src/index.js';
import type { CallChange, CallViewRepository, EventStore } from '../../../../libs/persistence/src/index.js';
import type { LogFeed } from './log-feed.js';
import { StreamService } from './stream.service.js';

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
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
  flushHeaders() {}
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
    return this.chunks.filter((c) => c.startsWith('event: change')).map((c) => Number(/\nid: (\d+)\n/.exec(c)![1]));
  }
}

const view = (id: string): CallView => ({ id, version: 1, status: 'pending' }) as CallView;
const stored = (position: number, streamId = 'c1'): StoredEventView =>
  ({ position, streamId, version: position, type: 'CallScheduled', data: {}, metadata: {}, occurredAt: '', schemaVersion: 1 }) as StoredEventView;
const change = (position: number): CallChange => ({ position, event: stored(position), call: view('c1') });

function setup(log: StoredEventView[]) {
  const changes$ = new Subject<CallChange>();
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = {
    changes$,
    lastPosition: async () => log.at(-1)?.position ?? 0,
    readAll: async (after: number, limit: number) => {
      await gate;
      return log.filter((e) => e.position > after).slice(0, limit);
    },
  } as unknown as EventStore;
  const calls = { findById: async (id: string) => view(id) } as unknown as CallViewRepository;
  return { service: new StreamService(store, calls, { changes$ } as unknown as LogFeed), changes$, release };
}

describe('StreamService', () => {
  it('answers as an event stream and starts a fresh client at the head', async () => {
    const { service, changes$, release } = setup([stored(1), stored(2)]);
    release();
    const res = new FakeResponse();
    await service.follow(res as unknown as Response, null);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.chunks.join('')).toContain('event: ready\nid: 2\n');
    changes$.next(change(3));
    expect(res.ids()).toEqual([3]);
    const data = JSON.parse(/\ndata: (.*)\n/.exec(res.chunks.at(-1)!)![1]);
    expect(data).toEqual({ position: 3, event: stored(3), call: view('c1') });
    res.end();
  });

  it('replays after Last-Event-ID, then goes live with no gap and no repeat', async () => {
    const { service, changes$, release } = setup([stored(1), stored(2), stored(3), stored(4)]);
    const res = new FakeResponse();
    const following = service.follow(res as unknown as Response, 2);
    // Appends that commit while the replay reads: one already in the log page (4), one new (5).
    changes$.next(change(4));
    changes$.next(change(5));
    release();
    await following;
    changes$.next(change(6));
    expect(res.ids()).toEqual([3, 4, 5, 6]);
    res.end();
  });

  it('stops following when the client goes away', async () => {
    const { service, changes$, release } = setup([]);
    release();
    const res = new FakeResponse();
    await service.follow(res as unknown as Response, null);
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
    await service.follow(res as unknown as Response, null);
    service.beforeApplicationShutdown();
    expect(res.ended).toBe(true);
    // A client reconnecting while the server shuts down is turned away, not held open.
    const late = new FakeResponse();
    await service.follow(late as unknown as Response, 5);
    expect(late.statusCode).toBe(503);
    expect(late.ended).toBe(true);
    expect(service.clients).toBe(0);
  });
});
