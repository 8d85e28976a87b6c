import type { EventSourceLike } from '../app/live/live.service';

/** A scriptable EventSource: tests open it, push frames, and break it. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was created');
    return source;
  }

  readyState = 0;
  closed = false;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  private readonly listeners = new Map<string, ((ev: MessageEvent) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  emit(type: string, data: unknown, lastEventId = ''): void {
    const message = new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId });
    this.listeners.get(type)?.forEach((l) => l(message));
  }

  /** A network drop the browser retries by itself (readyState CONNECTING). */
  drop(): void {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }

  /** A failure the browser gives up on (readyState CLOSED). */
  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}
