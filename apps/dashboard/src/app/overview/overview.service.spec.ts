import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import { makeCall, makeChange } from '../../testing/fixtures';
import { type CallChange, LiveService } from '../live/live.service';
import { OverviewService, STATS_REFRESH_MS, summariseLateness } from './overview.service';

describe('OverviewService', () => {
  let service: OverviewService;
  let http: HttpTestingController;
  let changes: Subject<CallChange>;

  beforeEach(() => {
    changes = new Subject<CallChange>();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: LiveService, useValue: { changes } }],
    });
    service = TestBed.inject(OverviewService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  it('lists every status with its count, zero when the API has none', async () => {
    const loading = service.load();
    http.expectOne('/api/calls/stats').flush({ counts: { pending: 3, completed: 2 }, recentLateness: [] });
    await loading;
    expect(service.counts()).toHaveLength(13);
    expect(service.counts().find((c) => c.status === 'pending')?.count).toBe(3);
    expect(service.counts().find((c) => c.status === 'busy')?.count).toBe(0);
    expect(service.total()).toBe(5);
  });

  it('refetches once after a burst of live changes', async () => {
    const loading = service.load();
    http.expectOne('/api/calls/stats').flush({ counts: {}, recentLateness: [] });
    await loading;
    vi.useFakeTimers();
    changes.next(makeChange(makeCall()));
    changes.next(makeChange(makeCall()));
    changes.next(makeChange(makeCall()));
    vi.advanceTimersByTime(STATS_REFRESH_MS);
    http.expectOne('/api/calls/stats').flush({ counts: { completed: 1 }, recentLateness: [] });
  });

  it('summarises lateness', () => {
    expect(summariseLateness([])).toBeNull();
    expect(summariseLateness([10, 30, 20, 1000])).toEqual({ count: 4, p50: 20, p95: 1000, max: 1000 });
  });
});
