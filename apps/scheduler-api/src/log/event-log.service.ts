import { Injectable } from '@nestjs/common';
import { EventStore, type StoredEvent } from '#persistence';
import { takeRaw, type RawCapableReply } from '../common/raw-reply.js';
import { LongReadGate } from './long-read-gate.js';
import { pipePages } from './pipe-pages.js';

// Small pages: each one blocks the event loop while it is read and serialised.
const EXPORT_PAGE = 250;

/** GET /api/events: the global log after a position, one page, or to its end as NDJSON. */
@Injectable()
export class EventLogService {
  constructor(
    private readonly store: EventStore,
    private readonly gate: LongReadGate,
  ) {}

  page(after: number, limit: number): Promise<StoredEvent[]> {
    return this.store.readAll(after, limit);
  }

  /**
   * The log after `after` to its end as NDJSON, a long read (LongReadGate): throws 429/503 (nothing
   * sent yet) when too many run; otherwise streams to the end.
   */
  async exportNdjson(reply: RawCapableReply, after: number, client: string): Promise<void> {
    const read = this.gate.admit(client, reply);
    let closed = false;
    reply.raw.on('close', () => {
      closed = true;
      read.release();
    });
    try {
      await read.started;
      const res = takeRaw(reply);
      res.setHeader('Content-Type', 'application/x-ndjson');
      let position = after;
      const complete = await pipePages(
        read,
        res,
        async () => {
          const page = await this.store.readAll(position, EXPORT_PAGE);
          if (page.length > 0) position = page[page.length - 1].position;
          let text = '';
          for (const event of page) text += JSON.stringify(event) + '\n';
          return { text, done: page.length < EXPORT_PAGE };
        },
        () => closed,
      );
      if (complete) res.end();
    } finally {
      read.release();
    }
  }
}
