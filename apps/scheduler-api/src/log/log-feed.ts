import { Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, share } from 'rxjs';
import { CallViewRepository, Database, EventStore, toEventView, type CallChange } from '#persistence';

const POLL_MS = 250;
// While the log cannot be read (database down) the poller backs off to this, instead of knocking 4 times a second.
const MAX_BACKOFF_MS = 5000;
const PAGE = 500;

/**
 * Every change to the log, for live feeds. On SQLite this process is the only writer, so the
 * store's own after-commit changes are all there is. On PostgreSQL other instances write too: the
 * log is followed by position. Appends are serialised under an advisory lock, so positions commit
 * in order and following them never skips one that commits late.
 */
@Injectable()
export class LogFeed {
  readonly changes$: Observable<CallChange>;
  private readonly logger = new Logger(LogFeed.name);

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CallViewRepository) private readonly calls: CallViewRepository,
    @Inject(Database) db: Database,
  ) {
    // One poller for all clients, running only while someone listens.
    this.changes$ = db.dialect.otherWritersPossible ? this.tail().pipe(share()) : store.changes$;
  }

  private tail(): Observable<CallChange> {
    return new Observable<CallChange>((subscriber) => {
      let last: number | null = null;
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      let delay = POLL_MS;
      // One line when the log becomes unreadable and one when it is back, not one per poll.
      // performance.now(): only the outage's length is reported, a duration, not a time of day.
      let failingSince: number | null = null;
      const poll = async () => {
        try {
          last ??= await this.store.lastPosition();
          for (let full = true; full && !stopped;) {
            const page = await this.store.readAll(last, PAGE);
            const views = await this.calls.findByIds(page.map((e) => e.streamId));
            for (const event of page) {
              last = event.position;
              const call = views.get(event.streamId);
              if (call) subscriber.next({ position: event.position, event: toEventView(event), call });
            }
            full = page.length === PAGE;
          }
          if (failingSince !== null) this.logger.log(`following the log again after ${Math.round(performance.now() - failingSince)} ms`);
          failingSince = null;
          delay = POLL_MS;
        } catch (error) {
          if (failingSince === null) this.logger.warn(`following the log: ${(error as Error).message}; backing off until it answers`);
          failingSince ??= performance.now();
          delay = Math.min(delay * 2, MAX_BACKOFF_MS);
        }
        if (!stopped) timer = setTimeout(() => void poll(), delay);
      };
      void poll();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    });
  }
}
