import pg from 'pg';
import { distinctUntilChanged, EMPTY, filter, merge, Observable, scan, share, Subject, takeUntil } from 'rxjs';
import type { Database } from './database.js';
import { LOG_CHANNEL } from './dialect.js';
import type { EventStore } from './event-store.js';

/** Where the listener says it lost and regained its connection (Nest's Logger fits). */
export interface ListenerLogger {
  log(message: string): void;
  warn(message: string): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/**
 * "The log now reaches position N", for every instance (issue #10): this process's own appends
 * straight from the store, and on PostgreSQL every instance's sealing passes through LISTEN on a
 * dedicated connection (pg_notify at each pass's commit). Monotonic and deduplicated. The live feed
 * and the dispatcher wake on it; they still read by position, so a missed notification (listener
 * reconnecting) only costs latency, never an event. The connection is open while someone listens.
 */
export class LogAdvances {
  readonly advanced$: Observable<number>;
  private readonly closed = new Subject<void>();

  constructor(db: Database, store: EventStore, logger: ListenerLogger) {
    const url = (db.dataSource.options as { url?: string }).url;
    const remote = db.dialect.kind === 'postgres' && url ? listen(url, logger) : EMPTY;
    this.advanced$ = merge(store.logAdvanced$, remote).pipe(
      scan((head, position) => Math.max(head, position), 0),
      distinctUntilChanged(),
      filter((head) => head > 0),
      takeUntil(this.closed),
      share(),
    );
  }

  /** Ends every subscription (and so the listening connection): on shutdown. */
  close(): void {
    this.closed.next();
  }
}

/** LISTEN on its own client; on error or loss, reconnects with backoff, one log line each way. */
function listen(url: string, logger: ListenerLogger): Observable<number> {
  return new Observable<number>((subscriber) => {
    let client: pg.Client | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let delay = FIRST_RETRY_MS;
    let lostSince: number | null = null;

    const retry = (why: string) => {
      if (stopped) return;
      if (lostSince === null) logger.warn(`listening for log changes: ${why}; reconnecting with backoff (the live feed polls meanwhile)`);
      lostSince ??= performance.now();
      const old = client;
      client = null;
      old?.removeAllListeners();
      void old?.end().catch(() => undefined);
      clearTimeout(timer);
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    };

    const connect = async () => {
      const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000 });
      client = c;
      c.on('error', (error) => retry(error.message));
      c.on('end', () => retry('connection closed'));
      c.on('notification', (message) => {
        const position = Number(message.payload);
        if (Number.isSafeInteger(position)) subscriber.next(position);
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${LOG_CHANNEL}`);
        if (lostSince !== null) logger.log(`listening for log changes again after ${Math.round(performance.now() - lostSince)} ms`);
        lostSince = null;
        delay = FIRST_RETRY_MS;
      } catch (error) {
        if (client === c) retry((error as Error).message);
      }
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      c?.removeAllListeners();
      void c?.end().catch(() => undefined);
    };
  });
}
