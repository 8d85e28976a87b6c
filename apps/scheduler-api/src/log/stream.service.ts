import { BadRequestException, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { CallViewRepository, EventStore, toEventView, type CallChange } from '#persistence';
import { Clock } from '../common/clock.js';
import { takeRaw, type RawCapableReply } from '../common/raw-reply.js';
import { LongReadGate, type LongRead } from './long-read-gate.js';
import { LogFeed } from './log-feed.js';
import { pipePages } from './pipe-pages.js';

export const HEARTBEAT_MS = 15_000;
// Small pages: each one blocks the event loop while it is read and serialised (a few ms at 250).
const REPLAY_PAGE = 250;
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
  private readonly open = new Set<ServerResponse>();
  private closing = false;

  constructor(
    private readonly store: EventStore,
    private readonly calls: CallViewRepository,
    private readonly feed: LogFeed,
    private readonly gate: LongReadGate,
    private readonly clock: Clock,
  ) {}

  /** How many clients are connected (for tests and metrics). */
  get clients(): number {
    return this.open.size;
  }

  /**
   * Throws 400 for a resume position past the head (a client of another log, or of this one before
   * it was restored): it would silently skip every live event up to that position. Throws 429/503
   * when too many catch-ups run (see LongReadGate). Otherwise answers with the stream.
   */
  async follow(reply: RawCapableReply, afterPosition: number | null, client = 'unknown'): Promise<void> {
    if (this.closing) {
      // A stream opened during shutdown would keep the server from closing; 503 tells the client to retry later.
      const refused = takeRaw(reply);
      refused.statusCode = 503;
      refused.setHeader('Retry-After', '2');
      refused.end();
      return;
    }
    if (afterPosition !== null) {
      const head = await this.store.lastPosition();
      if (afterPosition > head) {
        const message = `lastEventId ${afterPosition} is past the end of the log (head is ${head})`;
        throw new BadRequestException({ message, fields: { lastEventId: [message] } });
      }
    }
    const read = afterPosition === null ? null : this.gate.admit(client, reply);
    // From here on the answer is written to the raw response (backpressure, heartbeat), not by Fastify.
    const res = takeRaw(reply);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.open.add(res);

    // Set by the 'close' handler while this method awaits.
    let closed = false as boolean;
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
    const heartbeat = setInterval(() => res.write(`: heartbeat ${this.clock.now().toISOString()}\n\n`), HEARTBEAT_MS);
    heartbeat.unref();
    const cleanup = () => {
      closed = true;
      read?.release();
      subscription.unsubscribe();
      clearInterval(heartbeat);
      this.open.delete(res);
    };
    res.on('close', cleanup);

    try {
      if (afterPosition === null || read === null) {
        // A fresh client starts at the head. The id lets it resume from here if the connection
        // drops before the first change arrives.
        last = await this.store.lastPosition();
        if (!closed) res.write(`event: ready\nid: ${last}\ndata: ${JSON.stringify({ position: last })}\n\n`);
      } else {
        // Queued behind other long reads: the headers are out, the first frame comes later.
        await read.started;
        last = await this.replay(read, res, afterPosition, () => closed);
        read.release();
      }
    } catch (error) {
      this.logger.warn(`stream replay failed: ${(error as Error).message}`);
      res.end();
      return;
    }
    if (closed) return;
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

  /** Sends the stored events after `after`, page by page through the gate; returns the last position sent. */
  private async replay(read: LongRead, res: ServerResponse, after: number, isClosed: () => boolean): Promise<number> {
    let position = after;
    await pipePages(
      read,
      res,
      async () => {
        const page = await this.store.readAll(position, REPLAY_PAGE);
        // A replayed event carries the call's current view (its version says how current): one
        // query for the page's calls.
        const views = await this.calls.findByIds(page.map((e) => e.streamId));
        let text = '';
        for (const stored of page) {
          const call = views.get(stored.streamId);
          if (call) text += frame({ position: stored.position, event: toEventView(stored), call });
        }
        if (page.length > 0) position = page[page.length - 1].position;
        return { text, done: page.length < REPLAY_PAGE };
      },
      isClosed,
    );
    return position;
  }
}

function frame(change: CallChange): string {
  return `event: change\nid: ${change.position}\ndata: ${JSON.stringify({ position: change.position, event: change.event, call: change.call })}\n\n`;
}
