import { Injectable, Logger } from '@nestjs/common';
import { Observable, share } from 'rxjs';
import { CallViewRepository, Database, EventStore, LogAdvances, toEventView, type CallChange } from '#persistence';

// Without a wake-up (the listener reconnecting, a notification lost) the feed still reads the log
// this often: a fallback, so a lost notification costs latency, never an event.
const FALLBACK_POLL_MS = 1000;
// While the log cannot be read (database down) the poller backs off to this, instead of knocking every second.
const MAX_BACKOFF_MS = 5000;
const PAGE = 500;

/**
 * Every change to the log, for live feeds. On SQLite this process is the only writer, so the
 * store's own after-commit changes are all there is. On PostgreSQL other instances write too: the
 * log is followed by position, read as soon as LogAdvances says it advanced (LISTEN/NOTIFY after
 * each sealing pass, anywhere in the cluster) and at least every FALLBACK_POLL_MS. Positions are
 * given by the sealer in commit order, one pass at a time, so following them never skips one.
 */
@Injectable()
export class LogFeed {
  readonly changes$: Observable<CallChange>;
  private readonly logger = new Logger(LogFeed.name);

  constructor(
    private readonly store: EventStore,
    private readonly calls: CallViewRepository,
    private readonly advances: LogAdvances,
    db: Database,
  ) {
    // One follower for all clients, running only while someone listens.
    this.changes$ = db.dialect.otherWritersPossible ? this.tail().pipe(share()) : store.changes$;
  }

  private tail(): Observable<CallChange> {
    return new Observable<CallChange>((subscriber) => {
      let last: number | null = null;
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      // A wake-up during a read asks for one more right after it (an object: the flag changes across awaits).
      const turn = { reading: false, again: false };
      let delay = FALLBACK_POLL_MS;
      // One line when the log becomes unreadable and one when it is back, not one per poll.
      // performance.now(): only the outage's length is reported, a duration, not a time of day.
      let failingSince: number | null = null;
      const read = async () => {
        for (let full = true; full && !stopped;) {
          last ??= await this.store.lastPosition();
          const page = await this.store.readAll(last, PAGE);
          const views = await this.calls.findByIds(page.map((e) => e.streamId));
          for (const event of page) {
            last = event.position;
            const call = views.get(event.streamId);
            if (call) subscriber.next({ position: event.position, event: toEventView(event), call });
          }
          full = page.length === PAGE;
        }
      };
      const wantsAnother = () => turn.again;
      const poll = async () => {
        if (turn.reading) {
          turn.again = true;
          return;
        }
        turn.reading = true;
        clearTimeout(timer);
        try {
          do {
            turn.again = false;
            await read();
          } while (wantsAnother() && !stopped);
          if (failingSince !== null) this.logger.log(`following the log again after ${Math.round(performance.now() - failingSince)} ms`);
          failingSince = null;
          delay = FALLBACK_POLL_MS;
        } catch (error) {
          if (failingSince === null) this.logger.warn(`following the log: ${(error as Error).message}; backing off until it answers`);
          failingSince ??= performance.now();
          delay = Math.min(delay * 2, MAX_BACKOFF_MS);
        }
        turn.reading = false;
        if (!stopped) timer = setTimeout(() => void poll(), delay);
      };
      const wakeUps = this.advances.advanced$.subscribe((head) => {
        if (last === null || head > last) void poll();
      });
      void poll();
      return () => {
        stopped = true;
        wakeUps.unsubscribe();
        clearTimeout(timer);
      };
    });
  }
}
