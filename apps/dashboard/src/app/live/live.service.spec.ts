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
      providers: [{ provide: EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) }],
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

  it('passes the API token in the query, since EventSource cannot send headers', () => {
    TestBed.inject(AuthService).setToken('t k');
    live.connect();
    expect(FakeEventSource.latest().url).toBe('/api/stream?access_token=t%20k');
    FakeEventSource.latest().emit('change', makeChange(makeCall(), { position: 3 }));
    live.reconnect();
    expect(FakeEventSource.instances[0].closed).toBe(true);
    expect(FakeEventSource.latest().url).toBe('/api/stream?lastEventId=3&access_token=t%20k');
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
