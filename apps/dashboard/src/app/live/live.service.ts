import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import { type Observable, Subject, type Subscription } from 'rxjs';
import type { CallView, StoredEventView } from '@call-scheduler/domain/call-view';
import { AuthService } from '../shared/auth.service';

/** One message of GET /api/stream: the event that changed a call, and the call's view after it. */
export interface CallChange {
  position: number;
  event: StoredEventView;
  call: CallView;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

/** Minimal EventSource surface the service uses, so tests can hand in a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export const EVENT_SOURCE_FACTORY = new InjectionToken<(url: string) => EventSourceLike>('EVENT_SOURCE_FACTORY', {
  providedIn: 'root',
  factory: () => (url: string) => new EventSource(url),
});

export const STREAM_URL = '/api/stream';
export const TICKETS_URL = '/api/stream/tickets';
const CLOSED = 2;
const MAX_RETRY_MS = 30_000;
const SEEN_LIMIT = 5000;

/**
 * The live feed. The browser's EventSource resumes by itself (sending Last-Event-ID); when it
 * gives up (readyState CLOSED, e.g. after a 5xx) we open a new one that names the last position
 * in the query, with a capped backoff. Feature services subscribe to `changes` and fold each
 * change into their own signals.
 */
@Injectable({ providedIn: 'root' })
export class LiveService {
  private readonly createSource = inject(EVENT_SOURCE_FACTORY);
  private readonly auth = inject(AuthService);
  private readonly http = inject(HttpClient);
  private readonly changeSubject = new Subject<CallChange>();
  private source: EventSourceLike | null = null;
  // A ticket being fetched for the next stream (only with an API key).
  private ticketRequest: Subscription | null = null;
  private usesTicket = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = 1000;
  private readonly seen = new Set<number>();

  private readonly stateSignal = signal<ConnectionState>('idle');
  private readonly lastPositionSignal = signal<number | null>(null);
  private readonly lastChangeAtSignal = signal<number | null>(null);

  readonly state = this.stateSignal.asReadonly();
  readonly lastPosition = this.lastPositionSignal.asReadonly();
  readonly lastChangeAt = this.lastChangeAtSignal.asReadonly();
  readonly connected = computed(() => this.stateSignal() === 'open');
  readonly changes: Observable<CallChange> = this.changeSubject.asObservable();
  private readonly reconnectedSubject = new Subject<void>();
  /** Emits when the feed is back after an outage: a view whose load failed meanwhile reloads. */
  readonly reconnected: Observable<void> = this.reconnectedSubject.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  connect(): void {
    if (this.source || this.ticketRequest) return;
    this.open();
  }

  /** Drops the current stream and opens a new one at once (e.g. after a new API token). */
  reconnect(): void {
    this.close();
    this.retryDelay = 1000;
    this.open();
  }

  disconnect(): void {
    this.close();
    this.stateSignal.set('idle');
  }

  /** Stops everything under way: the retry timer, a ticket request, the open stream. */
  private close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ticketRequest?.unsubscribe();
    this.ticketRequest = null;
    this.source?.close();
    this.source = null;
  }

  /**
   * EventSource cannot send headers, and the API key must not travel in a URL (proxy logs): with
   * a key, each stream first gets a single-use, short-lived ticket (POST, with the key in its
   * header) and names it in the query.
   */
  private open(): void {
    if (this.stateSignal() !== 'reconnecting') this.stateSignal.set('connecting');
    this.usesTicket = this.auth.token() !== null;
    if (!this.usesTicket) return this.openSource(null);
    this.ticketRequest = this.http.post<{ ticket: string }>(TICKETS_URL, {}).subscribe({
      next: ({ ticket }) => {
        this.ticketRequest = null;
        this.openSource(ticket);
      },
      error: () => {
        this.ticketRequest = null;
        this.stateSignal.set('reconnecting');
        this.retryLater();
      },
    });
  }

  private openSource(ticket: string | null): void {
    const after = this.lastPositionSignal();
    const query = [...(after === null ? [] : [`lastEventId=${after}`]), ...(ticket ? [`ticket=${encodeURIComponent(ticket)}`] : [])].join('&');
    const url = query ? `${STREAM_URL}?${query}` : STREAM_URL;
    const source = this.createSource(url);
    this.source = source;
    source.onopen = () => {
      this.retryDelay = 1000;
      const wasDown = this.stateSignal() === 'reconnecting';
      this.stateSignal.set('open');
      if (wasDown) this.reconnectedSubject.next();
    };
    source.onerror = () => this.onError(source);
    source.addEventListener('change', (message) => this.onChange(message));
    source.addEventListener('ready', (message) => this.onReady(message));
  }

  // A fresh stream names the log's head, so a later reconnect resumes from there.
  private onReady(message: MessageEvent): void {
    const position = Number((JSON.parse(String(message.data)) as { position?: unknown } | null)?.position);
    if (Number.isSafeInteger(position) && this.lastPositionSignal() === null) this.lastPositionSignal.set(position);
  }

  private onError(source: EventSourceLike): void {
    if (source !== this.source) return;
    this.stateSignal.set('reconnecting');
    // The browser retries by itself, but with the same URL: a used ticket would only be refused.
    if (source.readyState !== CLOSED && !this.usesTicket) return;
    source.close();
    this.source = null;
    this.retryLater();
  }

  private retryLater(): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private remember(position: number): void {
    this.seen.add(position);
    if (this.seen.size > SEEN_LIMIT) {
      const [oldest] = this.seen; // a Set iterates in insertion order
      this.seen.delete(oldest);
    }
  }

  private onChange(message: MessageEvent): void {
    // Partial until checked: a frame is whatever the server sent.
    let frame: Partial<CallChange> | null;
    try {
      frame = JSON.parse(String(message.data)) as Partial<CallChange> | null;
    } catch {
      return; // a malformed frame must not break the feed
    }
    if (typeof frame?.position !== 'number' || !frame.call) return;
    const change = frame as CallChange;
    // A replay after reconnecting may repeat what we already applied.
    if (this.seen.has(change.position)) return;
    this.remember(change.position);
    this.lastPositionSignal.update((last) => Math.max(last ?? 0, change.position));
    this.lastChangeAtSignal.set(Date.now());
    this.changeSubject.next(change);
  }
}
