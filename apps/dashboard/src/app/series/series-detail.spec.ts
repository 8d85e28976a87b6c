import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { settle } from '../../testing/settle';
import { SeriesDetail } from './series-detail';

const ID = '6f1c2f0e-8a0d-4c3e-9a57-1f7e0b8f5c21';
const SERIES = {
  id: ID,
  status: 'active',
  phoneNumber: '+14155550100',
  timezone: 'America/New_York',
  rrule: 'FREQ=DAILY;BYSECOND=0;BYMINUTE=0;BYHOUR=9',
  startsAt: '2027-03-10T05:00:00.000Z',
  until: null,
  count: 10,
  callingWindow: null,
  nextAt: '2027-03-14T13:00:00.000Z',
  occurrences: 2,
  lastAt: '2027-03-13T14:00:00.000Z',
  createdAt: '2027-03-10T05:00:00.000Z',
  updatedAt: '2027-03-13T13:00:00.000Z',
  endedAt: null,
  version: 3,
};
const OCCURRENCES = {
  items: [
    { at: '2027-03-12T14:00:00.000Z', callId: 'c0ffee00-0000-8000-8000-000000000001', status: 'completed', reason: null },
    { at: '2027-03-13T14:00:00.000Z', callId: null, status: 'skipped', reason: 'service was down' },
    { at: '2027-03-14T13:00:00.000Z', callId: null, status: 'upcoming', reason: null },
  ],
};

describe('Series page', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  const load = async (fixture: ReturnType<typeof TestBed.createComponent<SeriesDetail>>, series: object = SERIES) => {
    http.expectOne(`/api/series/${ID}`).flush(series);
    http.expectOne(`/api/series/${ID}/occurrences?limit=20`).flush(OCCURRENCES);
    await settle(fixture);
  };

  it("shows the next calls in the callee's time and UTC, the calls made with outcomes linking to the call, and pauses", async () => {
    const fixture = TestBed.createComponent(SeriesDetail);
    fixture.componentRef.setInput('id', ID);
    fixture.detectChanges();
    await load(fixture);
    const el = fixture.nativeElement as HTMLElement;
    // 09:00 New York after the change to summer time is 13:00 UTC.
    expect(el.querySelector('[data-testid=upcoming-table] tbody')?.textContent).toMatch(/09:00 Sun 14 Mar\s*13:00 UTC/);
    const past = el.querySelector('[data-testid=past-table] tbody')!;
    expect(past.querySelector('a')?.getAttribute('href')).toBe('/calls/c0ffee00-0000-8000-8000-000000000001');
    expect(past.querySelector('[data-status=completed]')).not.toBeNull();
    expect(past.textContent).toContain('skipped: service was down');

    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent.trim() === 'Pause')!
      .click();
    const pause = http.expectOne({ method: 'POST', url: `/api/series/${ID}/pause` });
    pause.flush({ ...SERIES, status: 'paused', nextAt: null });
    await settle(fixture);
    await load(fixture, { ...SERIES, status: 'paused', nextAt: null });
    expect(el.querySelector('[data-testid=series-status]')?.textContent).toBe('paused');
    expect(Array.from(el.querySelectorAll('button')).map((b) => b.textContent.trim())).toEqual(['Resume', 'End series']);
  });
});
