import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { EventStore } from '../../../../libs/persistence/src/index.js';
import { LongReadGate } from '../long-reads/long-read-gate.js';
import { pipePages } from '../long-reads/pipe-pages.js';

// Small pages: each one blocks the event loop while it is read and serialised.
const EXPORT_PAGE = 250;

/** GET /api/events as NDJSON: the log after a position, to its end, as a long read (LongReadGate). */
@Injectable()
export class EventsExportService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(LongReadGate) private readonly gate: LongReadGate,
  ) {}

  /** Throws 429/503 (nothing sent yet) when too many long reads run; otherwise streams to the end. */
  async export(res: Response, after: number, client: string): Promise<void> {
    const read = this.gate.admit(client, res);
    let closed = false;
    res.on('close', () => {
      closed = true;
      read.release();
    });
    try {
      await read.started;
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
