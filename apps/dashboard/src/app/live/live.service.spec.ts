import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { FakeEventSource } from '../../testing/fake-event-source';
import { makeCall, makeChange } from '../../testing/fixtures';
import { AuthService } from '../shared/auth.service';
import { type CallChange, EVENT_SOURCE_FACTORY, LiveService } from './live.service';

describe('LiveService', () => {
  let live: LiveService;
  let received: CallChange[];

  beforeEach(() => {
    sessionStorage.clear();
    vi.useFakeTimers();
    FakeEventSource.instances = [];
    TestBed.configureTestingModule({
      providers: [{ provide: EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) }, provideHttpClient(), provideHttpClientTesting()],
    });
    live = TestBed.inject(LiveService);
    received = [];
    live.changes.subscribe((c) => received.push(c));
  });

  afterEach(() => vi.useRealTimers());

  it('connects to /api/stream and reports connecting, then live', () => {
    expect(live.state()).toBe('idle');
    live.connect();
    expect(FakeEventSource.latest().url).toBe('/api/stream');
    expect(live.state()).toBe('connecting');
    FakeEventSource.latest().open();
    expect(live.state()).toBe('open');
    expect(live.connected()).toBe(true);
  });

  it('publishes each change and remembers its position', () => {
    live.connect();
    const source = FakeEventSource.latest();
    source.open();
    source.emit('change', makeChange(makeCall({ id: 'a' }), { position: 7 }), '7');
    expect(received.map((c) => c.call.id)).toEqual(['a']);
    expect(live.lastPosition()).toBe(7);
  });

  it('drops repeats and malformed frames, keeps an out-of-order one', () => {
    live.connect();
    const source = FakeEventSource.latest();
    source.emit('change', makeChange(makeCall({ id: 'a' }), { position: 7 }));
    source.emit('change', makeChange(makeCall({ id: 'a' }), { position: 7 }));
    source.emit('change', makeChange(makeCall({ id: 'b' }), { position: 5 }));
    source.emit('change', '{not json');
    expect(received.map((c) => c.position)).toEqual([7, 5]);
    expect(live.lastPosition()).toBe(7);
  });

  it('resumes from the head named by the ready frame when nothing changed yet', () => {
    live.connect();
    const first = FakeEventSource.latest();
    first.open();
    first.emit('ready', { position: 120 }, '120');
    first.fail();
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.latest().url).toBe('/api/stream?lastEventId=120');
  });

  it('shows reconnecting while the browser retries by itself', () => {
    live.connect();
    const source = FakeEventSource.latest();
    source.open();
    source.drop();
    expect(live.state()).toBe('reconnecting');
    expect(FakeEventSource.instances).toHaveLength(1);
    source.open();
    expect(live.state()).toBe('open');
  });

  it('announces that the feed is back after an outage, but not on the first open', () => {
    let reconnects = 0;
    live.reconnected.subscribe(() => reconnects++);
    live.connect();
    const source = FakeEventSource.latest();
    source.open();
    expect(reconnects).toBe(0);
    source.drop();
    source.open();
    expect(reconnects).toBe(1);
  });

  it('reopens a closed stream after a backoff, resuming after the last position', () => {
    live.connect();
    const first = FakeEventSource.latest();
    first.open();
    first.emit('change', makeChange(makeCall(), { position: 42 }));
    first.fail();
    expect(live.state()).toBe('reconnecting');
    expect(first.closed).toBe(true);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.latest().url).toBe('/api/stream?lastEventId=42');
    expect(live.state()).toBe('reconnecting');
    FakeEventSource.latest().open();
    expect(live.state()).toBe('open');
  });

  it('with an API key, opens each stream with a fresh single-use ticket, never the key, in the URL', () => {
    const http = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).setToken('t k');
    live.connect();
    live.connect(); // while the ticket is on its way: still one request
    expect(FakeEventSource.instances).toHaveLength(0);
    http.expectOne({ method: 'POST', url: '/api/stream/tickets' }).flush({ ticket: 'a.b/c', expiresAt: '' });
    expect(FakeEventSource.latest().url).toBe('/api/stream?ticket=a.b%2Fc');
    FakeEventSource.latest().open();
    FakeEventSource.latest().emit('change', makeChange(makeCall(), { position: 3 }));
    // A dropped stream is not left to the browser's own retry (it would reuse the spent ticket).
    FakeEventSource.latest().fail();
    expect(FakeEventSource.instances[0].closed).toBe(true);
    vi.advanceTimersByTime(1000);
    http.expectOne('/api/stream/tickets').flush({ ticket: 't2', expiresAt: '' });
    expect(FakeEventSource.latest().url).toBe('/api/stream?lastEventId=3&ticket=t2');
    expect(FakeEventSource.instances.map((s) => s.url).join()).not.toContain('t%20k');
    // No ticket (the key was refused): retried later, with backoff.
    live.reconnect();
    http.expectOne('/api/stream/tickets').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(live.state()).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    http.expectOne('/api/stream/tickets');
    sessionStorage.clear();
  });

  it('backs off further on repeated failures', () => {
    live.connect();
    FakeEventSource.latest().fail();
    vi.advanceTimersByTime(1000);
    FakeEventSource.latest().fail();
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(3);
  });
});
