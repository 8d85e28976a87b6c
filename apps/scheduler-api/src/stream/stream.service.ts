import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import type { Subscription } from 'rxjs';
import type { CallView } from '../../../../libs/domain/src/index.js';
import { CallViewRepository, EventStore, type CallChange } from '../../../../libs/persistence/src/index.js';
import { LogFeed, toEventView } from './log-feed.js';

export const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;
// A client this far behind is cut off; it reconnects with Last-Event-ID and catches up from the log.
const MAX_BUFFERED_BYTES = 1_000_000;
const RETRY_MS = 2000;

/**
 * Server-Sent Events for live dashboards. Each frame is `event: change`, `id: <position>`,
 * `data: {position, event, call}`. A client that names a position (Last-Event-ID) first gets the
 * stored events after it, then the live ones, with no gap and no repeat: live changes are buffered
 * while the replay runs and only those past the replay's last position are sent.
 */
@Injectable()
export class StreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(StreamService.name);
  private readonly open = new Set<Response>();
  private closing = false;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CallViewRepository) private readonly calls: CallViewRepository,
    @Inject(LogFeed) private readonly feed: LogFeed,
  ) {}

  /** How many clients are connected (for tests and metrics). */
  get clients(): number {
    return this.open.size;
  }

  async follow(res: Response, afterPosition: number | null): Promise<void> {
    if (this.closing) {
      // A stream opened during shutdown would keep the server from closing; 503 tells the client to retry later.
      res.status(503).setHeader('Retry-After', '2');
      res.end();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.open.add(res);

    let closed = false;
    let last = afterPosition ?? 0;
    let backlog: CallChange[] | null = [];
    // Returns false when the socket's buffer is full (the replay then waits for 'drain').
    const send = (change: CallChange): boolean => {
      if (closed || change.position <= last) return true;
      last = change.position;
      const flushed = res.write(frame(change));
      if (res.writableLength > MAX_BUFFERED_BYTES) res.end();
      return flushed;
    };
    const subscription: Subscription = this.feed.changes$.subscribe((change) => (backlog ? backlog.push(change) : send(change)));
    const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    heartbeat.unref();
    const cleanup = () => {
      closed = true;
      subscription.unsubscribe();
      clearInterval(heartbeat);
      this.open.delete(res);
    };
    res.on('close', cleanup);

    try {
      if (afterPosition === null) {
        // A fresh client starts at the head. The id lets it resume from here if the connection
        // drops before the first change arrives.
        last = await this.store.lastPosition();
        if (!closed) res.write(`event: ready\nid: ${last}\ndata: ${JSON.stringify({ position: last })}\n\n`);
      } else {
        await this.replay(res, afterPosition, () => closed, send);
      }
    } catch (error) {
      this.logger.warn(`stream replay failed: ${(error as Error).message}`);
      res.end();
      return;
    }
    const buffered = backlog;
    backlog = null;
    for (const change of buffered) send(change);
  }

  beforeApplicationShutdown(): void {
    // Open streams would keep the HTTP server from closing.
    this.closing = true;
    for (const res of this.open) res.end();
    this.open.clear();
  }

  private async replay(res: Response, after: number, isClosed: () => boolean, send: (c: CallChange) => boolean): Promise<void> {
    let position = after;
    for (;;) {
      const page = await this.store.readAll(position, REPLAY_PAGE);
      if (isClosed()) return;
      // A replayed event carries the call's current view (its version says how current).
      const views = new Map<string, CallView | null>();
      for (const id of new Set(page.map((e) => e.streamId))) views.set(id, await this.calls.findById(id));
      for (const stored of page) {
        const call = views.get(stored.streamId);
        position = stored.position;
        if (call && !send({ position, event: toEventView(stored), call }) && !isClosed()) {
          await new Promise((resolve) => res.once('drain', resolve));
        }
      }
      if (page.length < REPLAY_PAGE) return;
    }
  }
}

function frame(change: CallChange): string {
  return `event: change\nid: ${change.position}\ndata: ${JSON.stringify({ position: change.position, event: change.event, call: change.call })}\n\n`;
}
