import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import type { CallView } from '@call-scheduler/domain/call-view';
import { makeCall, makeChange } from '../../testing/fixtures';
import { type CallChange, LiveService } from '../live/live.service';
import { HistoryService, matchesFilter } from './history.service';

describe('HistoryService', () => {
  let service: HistoryService;
  let http: HttpTestingController;
  let changes: Subject<CallChange>;
  let reconnected: Subject<void>;

  const day = (d: number) => `2030-01-${String(d).padStart(2, '0')}T10:00:00.000Z`;
  const done = (id: string, d: number, extra: Partial<CallView> = {}) =>
    makeCall({ id, scheduledAt: day(d), updatedAt: day(d), status: 'completed', version: 5, ...extra });

  beforeEach(() => {
    changes = new Subject<CallChange>();
    reconnected = new Subject<void>();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: LiveService, useValue: { changes, reconnected } }],
    });
    service = TestBed.inject(HistoryService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends the statuses and the number typed as a search', async () => {
    const loading = service.load({ status: 'busy,failed', phoneNumber: ' (415) 555-0100 ' });
    const req = http.expectOne((r) => r.url === '/api/calls/history');
    expect(req.request.params.get('status')).toBe('busy,failed');
    expect(req.request.params.get('phone')).toBe('(415) 555-0100');
    expect(req.request.params.get('limit')).toBe('50');
    req.flush({ items: [], nextCursor: null });
    await loading;
  });

  it('moves a call that leaves pending onto the list, latest change first', async () => {
    const loading = service.load({ status: null, phoneNumber: '' });
    http.expectOne('/api/calls/history?limit=50').flush({ items: [done('b', 3), done('a', 1)], nextCursor: null });
    await loading;
    changes.next(makeChange(makeCall({ id: 'new', scheduledAt: day(2), updatedAt: day(2), status: 'dispatched', version: 3 })));
    expect(service.items().map((c) => c.id)).toEqual(['b', 'new', 'a']);
    changes.next(makeChange(makeCall({ id: 'new', scheduledAt: day(2), updatedAt: day(2), status: 'completed', version: 6 })));
    expect(service.items().find((c) => c.id === 'new')?.status).toBe('completed');
  });

  it('orders by when a call last changed, not when it is scheduled: cancelled today, due next year, sits with today', async () => {
    const loading = service.load({ status: null, phoneNumber: '' });
    http.expectOne('/api/calls/history?limit=50').flush({ items: [done('b', 3), done('a', 1)], nextCursor: null });
    await loading;
    changes.next(makeChange(makeCall({ id: 'next-year', scheduledAt: '2031-01-01T10:00:00.000Z', updatedAt: day(2), status: 'cancelled', version: 2 })));
    expect(service.items().map((c) => c.id)).toEqual(['b', 'next-year', 'a']);
    // A change to an old call brings it to the top.
    changes.next(makeChange(done('a', 1, { updatedAt: day(4), status: 'busy', version: 6 })));
    expect(service.items().map((c) => c.id)).toEqual(['a', 'b', 'next-year']);
  });

  it('drops a call that no longer matches the status filter', async () => {
    const loading = service.load({ status: 'ringing', phoneNumber: '' });
    http.expectOne('/api/calls/history?limit=50&status=ringing').flush({ items: [done('a', 1, { status: 'ringing', version: 3 })], nextCursor: null });
    await loading;
    changes.next(makeChange(done('a', 1, { version: 4 })));
    expect(service.items()).toEqual([]);
  });

  it('a newer filter wins over an older answer still in flight', async () => {
    const first = service.load({ status: 'busy', phoneNumber: '' });
    const second = service.load({ status: 'failed', phoneNumber: '' });
    const [old, current] = http.match((r) => r.url === '/api/calls/history');
    current.flush({ items: [done('f', 1, { status: 'failed' })], nextCursor: null });
    old.flush({ items: [done('b', 1, { status: 'busy' })], nextCursor: null });
    await Promise.all([first, second]);
    expect(service.items().map((c) => c.id)).toEqual(['f']);
  });

  it('matches the API: partial or national number, statuses and groups, never pending', () => {
    const call = done('a', 1, { phoneNumber: '+14155550100' });
    expect(matchesFilter(call, { status: null, phoneNumber: '+1 415 555 0100' })).toBe(true);
    expect(matchesFilter(call, { status: null, phoneNumber: '+1415' })).toBe(true);
    expect(matchesFilter(call, { status: null, phoneNumber: '(415) 555-01' })).toBe(true);
    expect(matchesFilter(call, { status: null, phoneNumber: '999' })).toBe(false);
    expect(matchesFilter(call, { status: 'failed,completed', phoneNumber: '' })).toBe(true);
    expect(matchesFilter(call, { status: 'in-progress', phoneNumber: '' })).toBe(false);
    expect(matchesFilter({ ...call, status: 'ringing' }, { status: 'in-progress', phoneNumber: '' })).toBe(true);
    expect(matchesFilter({ ...call, status: 'pending' }, { status: null, phoneNumber: '' })).toBe(false);
  });
});
