import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { CallView } from '@call-scheduler/domain/call-view';
import { makeCall, makeChange } from '../../testing/fixtures';
import { type CallChange, LiveService } from '../live/live.service';
import { Subject } from 'rxjs';
import { PendingService } from './pending.service';

describe('PendingService', () => {
  let service: PendingService;
  let http: HttpTestingController;
  let changes: Subject<CallChange>;
  let reconnected: Subject<void>;

  const at = (minute: number) => `2030-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const pending = (id: string, minute: number, extra: Partial<CallView> = {}) => makeCall({ id, scheduledAt: at(minute), nextAttemptAt: at(minute), ...extra });

  beforeEach(() => {
    changes = new Subject<CallChange>();
    reconnected = new Subject<void>();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: LiveService, useValue: { changes, reconnected } }],
    });
    service = TestBed.inject(PendingService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function loadWith(items: CallView[], nextCursor: string | null = null): Promise<void> {
    const loading = service.load();
    http.expectOne('/api/calls/pending?limit=50').flush({ items, nextCursor });
    await loading;
  }

  it('loads the first page and then the next one by cursor', async () => {
    await loadWith([pending('a', 1), pending('b', 2)], 'CUR');
    expect(service.hasMore()).toBe(true);
    const more = service.loadMore();
    http.expectOne('/api/calls/pending?limit=50&cursor=CUR').flush({ items: [pending('c', 3)], nextCursor: null });
    await more;
    expect(service.items().map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(service.hasMore()).toBe(false);
  });

  it('reloads after the live feed comes back when its load failed during the outage', async () => {
    const failing = service.load();
    http.expectOne('/api/calls/pending?limit=50').flush('down', { status: 0, statusText: 'Unknown Error' });
    await failing;
    expect(service.error()).not.toBeNull();
    reconnected.next();
    http.expectOne('/api/calls/pending?limit=50').flush({ items: [pending('a', 1)], nextCursor: null });
    await Promise.resolve();
    await new Promise((r) => setTimeout(r));
    expect(service.error()).toBeNull();
    expect(service.items().map((c) => c.id)).toEqual(['a']);
  });

  it('does not reload a healthy list when the feed comes back', async () => {
    await loadWith([pending('a', 1)]);
    reconnected.next();
    http.expectNone('/api/calls/pending?limit=50');
  });

  it('places a newly scheduled call by due time', async () => {
    await loadWith([pending('a', 1), pending('c', 3)]);
    changes.next(makeChange(pending('b', 2)));
    expect(service.items().map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('removes a call that is dispatched or cancelled', async () => {
    await loadWith([pending('a', 1), pending('b', 2)]);
    changes.next(makeChange(pending('a', 1, { status: 'dispatched', version: 3 })));
    expect(service.items().map((c) => c.id)).toEqual(['b']);
  });

  it('re-sorts a rescheduled call and ignores stale versions', async () => {
    await loadWith([pending('a', 1), pending('b', 2)]);
    changes.next(makeChange(pending('a', 5, { version: 2 })));
    expect(service.items().map((c) => c.id)).toEqual(['b', 'a']);
    changes.next(makeChange(pending('a', 0, { version: 1 })));
    expect(service.items().map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('does not add a call that belongs to a page not loaded yet', async () => {
    await loadWith([pending('a', 1), pending('b', 2)], 'CUR');
    changes.next(makeChange(pending('z', 59)));
    expect(service.items().map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('applies changes that arrive while the page is in flight after it lands', async () => {
    const loading = service.load();
    changes.next(makeChange(pending('a', 1, { status: 'dispatched', version: 3 })));
    http.expectOne('/api/calls/pending?limit=50').flush({ items: [pending('a', 1), pending('b', 2)], nextCursor: null });
    await loading;
    expect(service.items().map((c) => c.id)).toEqual(['b']);
  });

  it('cancels with DELETE and drops the call', async () => {
    await loadWith([pending('a', 1)]);
    const cancelling = service.cancel('a');
    const req = http.expectOne('/api/calls/a');
    expect(req.request.method).toBe('DELETE');
    req.flush(pending('a', 1, { status: 'cancelled', version: 2 }));
    await cancelling;
    expect(service.items()).toEqual([]);
  });

  it('reschedules with PATCH {scheduledAt} and dispatches with POST /dispatch', async () => {
    await loadWith([pending('a', 1)]);
    const rescheduling = service.reschedule('a', '2030-01-01T11:00:00+01:00');
    const patch = http.expectOne('/api/calls/a');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ scheduledAt: '2030-01-01T10:00:00.000Z' });
    patch.flush(pending('a', 0, { version: 2 }));
    await rescheduling;

    const dispatching = service.dispatchNow('a');
    const post = http.expectOne('/api/calls/a/dispatch');
    expect(post.request.method).toBe('POST');
    post.flush(pending('a', 0, { version: 3, status: 'dispatching' }));
    await dispatching;
    expect(service.items()).toEqual([]);
  });

  it('reports a load failure', async () => {
    const loading = service.load();
    http.expectOne('/api/calls/pending?limit=50').flush({ statusCode: 500, message: 'boom' }, { status: 500, statusText: 'x' });
    await loading;
    expect(service.error()).toBe('boom');
  });
});
