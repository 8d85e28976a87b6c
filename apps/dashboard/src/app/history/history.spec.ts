import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Subject } from 'rxjs';
import { makeCall } from '../../testing/fixtures';
import { type CallChange, LiveService } from '../live/live.service';
import { USER_TIME_ZONE } from '../shared/time';
import { CallHistory } from './history';

describe('History page', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'history', component: CallHistory }], withComponentInputBinding()),
        { provide: LiveService, useValue: { changes: new Subject<CallChange>(), reconnected: new Subject<void>() } },
        { provide: USER_TIME_ZONE, useValue: 'Asia/Tokyo' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  const tick = () => new Promise((r) => setTimeout(r, 0));

  it('loads the filter named in the URL and shows status chips and times in the user zone', async () => {
    const harness = await RouterTestingHarness.create();
    const navigating = harness.navigateByUrl('/history?status=completed');
    await tick();
    http.expectOne('/api/calls/history?limit=50&status=completed').flush({
      items: [makeCall({ id: 'a', status: 'completed', scheduledAt: '2030-01-01T01:00:00Z', endedAt: '2030-01-01T01:00:20Z' })],
      nextCursor: null,
    });
    await navigating;
    await tick();
    harness.detectChanges();
    const el = harness.routeNativeElement!;
    expect(el.querySelector('app-status-chip')?.textContent.trim()).toBe('completed');
    expect(el.querySelector('tbody time')?.textContent).toContain('10:00:00'); // 01:00 UTC is 10:00 in Tokyo
    expect(el.querySelector<HTMLSelectElement>('#history-status')!.value).toBe('completed');
  });

  it('changing the status filter updates the URL and reloads', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/history');
    await tick();
    http.expectOne('/api/calls/history?limit=50').flush({ items: [], nextCursor: null });
    await tick();
    harness.detectChanges();
    const select = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#history-status')!;
    select.value = 'busy';
    select.dispatchEvent(new Event('change'));
    await tick();
    await tick();
    expect(TestBed.inject(Router).url).toBe('/history?status=busy');
    http.expectOne('/api/calls/history?limit=50&status=busy').flush({ items: [], nextCursor: null });
    await tick();
    harness.detectChanges();
    expect(harness.routeNativeElement!.textContent).toContain('No calls match');
  });

  it("puts the API's phone number error beside the search field, highlighted, with the country code hint", async () => {
    const harness = await RouterTestingHarness.create();
    const navigating = harness.navigateByUrl('/history?q=4155550150');
    await tick();
    http.expectOne('/api/calls/history?limit=50&phoneNumber=4155550150').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: ['phoneNumber must be an E.164 phone number'],
        fields: { phoneNumber: ['phoneNumber must be an E.164 phone number'] },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await navigating;
    await tick();
    harness.detectChanges();
    const el = harness.routeNativeElement!;
    const search = el.querySelector<HTMLInputElement>('#history-search')!;
    expect(search.getAttribute('aria-invalid')).toBe('true');
    const errors = el.querySelector('[data-testid=history-search-error]')!.textContent;
    expect(errors).toContain('Phone number must be an E.164 phone number');
    expect(errors).toContain('+14155550150');
    expect(search.getAttribute('aria-describedby')).toContain('history-search-error');
    expect(el.querySelector('#history-search-hint')?.textContent).toContain('E.164');
  });

  it('says what is wrong with a parameter the page has no field for (an outdated cursor)', async () => {
    const harness = await RouterTestingHarness.create();
    const navigating = harness.navigateByUrl('/history');
    await tick();
    http.expectOne('/api/calls/history?limit=50').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'cursor is not a cursor this API returned',
        fields: { cursor: ['cursor is not a cursor this API returned'] },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await navigating;
    await tick();
    harness.detectChanges();
    const el = harness.routeNativeElement!;
    expect(el.querySelector('[data-testid=history-error]')?.textContent).toContain('cursor is not a cursor this API returned');
    expect(el.querySelector('#history-search')?.getAttribute('aria-invalid')).toBe('false');
  });
});
