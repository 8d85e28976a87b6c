import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import { LiveService } from '../live/live.service';
import { HEALTH_URL, HealthService, readHealth } from './health.service';

// The bodies the scheduler answers (Terminus shape), per the contract of issue #8.
const callApiDown = {
  status: 'degraded',
  info: { database: { status: 'up', engine: 'sqlite' } },
  error: { callApi: { status: 'down', since: '2026-12-01T21:14:05.120Z', waiting: 37, reason: 'ECONNREFUSED 127.0.0.1:5000' } },
  details: {
    database: { status: 'up', engine: 'sqlite' },
    callApi: { status: 'down', since: '2026-12-01T21:14:05.120Z', waiting: 37, reason: 'ECONNREFUSED 127.0.0.1:5000' },
  },
};
const allUp = { status: 'ok', info: {}, error: {}, details: { database: { status: 'up', engine: 'sqlite' }, callApi: { status: 'up' } } };
const databaseDown = {
  status: 'error',
  info: { callApi: { status: 'up' } },
  error: { database: { status: 'down', message: 'SQLITE_CANTOPEN' } },
  details: { database: { status: 'down', message: 'SQLITE_CANTOPEN' }, callApi: { status: 'up' } },
};

describe('readHealth', () => {
  it('names the Call API outage, since when and how many calls wait', () => {
    expect(readHealth(callApiDown)).toEqual({ callApi: { since: '2026-12-01T21:14:05.120Z', waiting: 37 }, database: null, sealLag: null });
  });

  it('reports nothing down when all is up', () => {
    expect(readHealth(allUp)).toEqual({ callApi: null, database: null, sealLag: null });
  });

  it('counts the live and gone instances of a cluster', () => {
    const instances = { status: 'up', live: 2, list: [{ state: 'live' }, { state: 'live' }, { state: 'gone' }] };
    expect(readHealth({ ...allUp, details: { ...allUp.details, instances } })?.instances).toEqual({ live: 2, gone: 1 });
  });

  it('names a database outage without a start time', () => {
    expect(readHealth(databaseDown)).toEqual({ callApi: null, database: { since: null, waiting: null }, sealLag: null });
  });

  it('reads the log seal lag (PostgreSQL)', () => {
    const lagging = { ...allUp, details: { ...allUp.details, log: { status: 'up', unsealed: 12, oldestUnsealedMs: 8000 } } };
    expect(readHealth(lagging)?.sealLag).toEqual({ unsealed: 12, oldestUnsealedMs: 8000 });
  });

  it('falls back to info and error when details are missing', () => {
    const { details: _ignored, ...withoutDetails } = callApiDown;
    expect(readHealth(withoutDetails)?.callApi?.waiting).toBe(37);
  });

  it('claims nothing from a body that is not a health report', () => {
    expect(readHealth('<html>Bad gateway</html>')).toBeNull();
    expect(readHealth(null)).toBeNull();
  });
});

describe('HealthService', () => {
  let service: HealthService;
  let http: HttpTestingController;
  let reconnected: Subject<void>;

  beforeEach(() => {
    reconnected = new Subject<void>();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: LiveService, useValue: { reconnected } }],
    });
    service = TestBed.inject(HealthService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    service.stop();
    http.verify();
  });

  it('reads a 200 degraded answer as the Call API being down', async () => {
    const checking = service.check();
    http.expectOne(HEALTH_URL).flush(callApiDown);
    await checking;
    expect(service.report()?.callApi).toEqual({ since: '2026-12-01T21:14:05.120Z', waiting: 37 });
  });

  it('reads the body of a 503 as the database being down', async () => {
    const checking = service.check();
    http.expectOne(HEALTH_URL).flush(databaseDown, { status: 503, statusText: 'Service Unavailable' });
    await checking;
    expect(service.report()?.database).toEqual({ since: null, waiting: null });
  });

  it('forgets an outage when /health cannot be reached at all (the live indicator says so)', async () => {
    let checking = service.check();
    http.expectOne(HEALTH_URL).flush(callApiDown);
    await checking;
    checking = service.check();
    http.expectOne(HEALTH_URL).error(new ProgressEvent('error'), { status: 0 });
    await checking;
    expect(service.report()).toBeNull();
  });

  it('checks again at once when the live feed reconnects', async () => {
    reconnected.next();
    http.expectOne(HEALTH_URL).flush(allUp);
    await new Promise((r) => setTimeout(r, 0));
    expect(service.report()).toEqual({ callApi: null, database: null, sealLag: null });
  });

  it('polls every 2 s once started, one request at a time', async () => {
    vi.useFakeTimers();
    try {
      service.start();
      http.expectOne(HEALTH_URL).flush(callApiDown);
      await vi.advanceTimersByTimeAsync(1999);
      http.expectNone(HEALTH_URL);
      await vi.advanceTimersByTimeAsync(1);
      http.expectOne(HEALTH_URL).flush(allUp);
      await vi.advanceTimersByTimeAsync(0);
      expect(service.report()?.callApi).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
