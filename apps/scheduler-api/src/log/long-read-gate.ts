import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface LongReadLimits {
  // Reads reading their pages at once, over all clients.
  active: number;
  // Reads admitted but waiting for an active slot; beyond this: 503.
  queued: number;
  // Reads (active or waiting) per client address; beyond this: 429.
  perClient: number;
  // Seconds a refused client is told to wait (Retry-After).
  retryAfterSeconds: number;
}

/** Where a refusal's Retry-After goes (a FastifyReply). */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

export const LONG_READ_LIMITS: LongReadLimits = { active: 4, queued: 8, perClient: 2, retryAfterSeconds: 2 };

/**
 * Keeps reads of the whole log (SSE catch-up, NDJSON export, audit verify) from starving the
 * dispatcher. better-sqlite3 reads synchronously: while a page is read, parsed and serialised,
 * nothing else runs, timers included.
 *
 * Scheme, chosen for lateness:
 * - Pages of every long read take turns through ONE queue, one page at a time, each after a
 *   macrotask (setImmediate). A due timer therefore waits for at most one page, however many
 *   reads are running; running pages "in parallel" would not be faster anyway (one thread, one
 *   SQLite connection) and would let several pages run back to back between two timer phases.
 * - At most `active` reads take part in that rotation. More would not add throughput, only divide
 *   it: each read would finish later and hold its buffers and socket longer. Further reads wait in
 *   a FIFO queue (an SSE client already has its headers and simply sees its first frame later);
 *   when the queue is full, 503 with Retry-After rather than piling up work without bound.
 * - `perClient` reads per client address, then 429 with Retry-After: one client cannot take every
 *   slot and lock the others out.
 */
@Injectable()
export class LongReadGate {
  private running = 0;
  private readonly waiting: LongRead[] = [];
  private readonly byClient = new Map<string, number>();
  private pages: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits: LongReadLimits = LONG_READ_LIMITS) {}

  /** Reads now running or waiting (metrics and tests). */
  get load(): { active: number; queued: number } {
    return { active: this.running, queued: this.waiting.length };
  }

  /**
   * Admits a long read for `client` or throws 429/503 (with Retry-After set on `res`). Call before
   * sending anything; then `await read.started` before the first page, and `release()` at the end.
   */
  admit(client: string, res: HeaderSink): LongRead {
    const own = this.byClient.get(client) ?? 0;
    if (own >= this.limits.perClient) {
      throw this.refuse(res, HttpStatus.TOO_MANY_REQUESTS, `at most ${this.limits.perClient} long reads (catch-up, export, verify) per client at once`);
    }
    if (this.running >= this.limits.active && this.waiting.length >= this.limits.queued) {
      throw this.refuse(res, HttpStatus.SERVICE_UNAVAILABLE, 'too many long reads (catch-up, export, verify) at once: retry later');
    }
    this.byClient.set(client, own + 1);
    const read = new LongRead(this, client);
    if (this.running < this.limits.active) {
      this.running += 1;
      read.wake();
    } else {
      this.waiting.push(read);
    }
    return read;
  }

  /** Runs one page of a long read in the shared rotation: after a macrotask, alone. */
  page<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pages.then(async () => {
      // Lets due timers and waiting requests run before each page.
      await nextTurn();
      return fn();
    });
    this.pages = run.catch(() => undefined);
    return run;
  }

  /** @internal LongRead.release */
  release(read: LongRead, client: string): void {
    const own = (this.byClient.get(client) ?? 1) - 1;
    if (own > 0) this.byClient.set(client, own);
    else this.byClient.delete(client);
    if (!read.isStarted) {
      // Gave up while waiting: frees its place in the queue, not an active slot.
      this.waiting.splice(this.waiting.indexOf(read), 1);
      return;
    }
    const next = this.waiting.shift();
    if (next) next.wake();
    else this.running -= 1;
  }

  private refuse(res: HeaderSink, status: HttpStatus, message: string): HttpException {
    res.header('Retry-After', String(this.limits.retryAfterSeconds));
    return new HttpException({ message }, status);
  }
}

/** One admitted long read: its pages go through the gate; release it when done (more calls are ignored). */
export class LongRead {
  readonly started: Promise<void>;
  isStarted = false;
  private released = false;
  private resolveStarted!: () => void;

  constructor(
    private readonly gate: LongReadGate,
    private readonly client: string,
  ) {
    this.started = new Promise<void>((resolve) => (this.resolveStarted = resolve));
  }

  /** @internal LongReadGate: an active slot is this read's now. */
  wake(): void {
    this.isStarted = true;
    this.resolveStarted();
  }

  page<T>(fn: () => Promise<T>): Promise<T> {
    return this.gate.page(fn);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.gate.release(this, this.client);
  }
}

/** The address limits are counted by: the peer of the socket (no proxy is trusted). */
export function clientAddress(req: { socket: { remoteAddress?: string } }): string {
  return req.socket.remoteAddress ?? 'unknown';
}
