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
    const navigating = harness.navigateByUrl('/history?status=completed,failed');
    await tick();
    http.expectOne('/api/calls/history?limit=50&status=completed,failed').flush({
      items: [makeCall({ id: 'a', status: 'completed', scheduledAt: '2030-01-01T01:00:00Z', endedAt: '2030-01-01T01:00:20Z', duration: 20 })],
      nextCursor: null,
    });
    await navigating;
    await tick();
    harness.detectChanges();
    const el = harness.routeNativeElement!;
    expect(el.querySelector('app-status-chip')?.textContent.trim()).toBe('completed');
    expect(el.querySelector('tbody time')?.textContent).toContain('10:00:00'); // 01:00 UTC is 10:00 in Tokyo
    const ticked = [...el.querySelectorAll<HTMLInputElement>('[data-testid=history-status] input:checked')].map((i) => i.value);
    expect(ticked).toEqual(['completed', 'failed']);
    expect(el.querySelector('[data-testid=duration]')?.textContent).toContain('20 s');
    // The callee's clock beside UTC (the fixture's callee is in Paris).
    expect(el.querySelector('[data-testid=callee-time]')?.textContent).toContain('02:00');
    expect(el.querySelector('[data-testid=callee-time]')?.textContent).toContain('01:00 UTC');
  });

  it('ticking statuses, or choosing a group, updates the URL and reloads', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/history?status=completed');
    await tick();
    http.expectOne('/api/calls/history?limit=50&status=completed').flush({ items: [], nextCursor: null });
    await tick();
    harness.detectChanges();
    const busy = harness.routeNativeElement!.querySelector<HTMLInputElement>('[data-testid=history-status] input[value=busy]')!;
    busy.checked = true;
    busy.dispatchEvent(new Event('change'));
    await tick();
    await tick();
    expect(decodeURIComponent(TestBed.inject(Router).url)).toBe('/history?status=completed,busy');
    http.expectOne('/api/calls/history?limit=50&status=completed,busy').flush({ items: [], nextCursor: null });
    await tick();
    harness.detectChanges();
    expect(harness.routeNativeElement!.textContent).toContain('No calls match');
    const inProgress = [...harness.routeNativeElement!.querySelectorAll<HTMLButtonElement>('[data-testid=history-status] button')].find((b) =>
      b.textContent.includes('In progress'),
    )!;
    inProgress.click();
    await tick();
    await tick();
    expect(TestBed.inject(Router).url).toBe('/history?status=in-progress');
    http.expectOne('/api/calls/history?limit=50&status=in-progress').flush({ items: [], nextCursor: null });
  });

  it("sends a partial number as ?phone= and puts the API's error beside the search field, highlighted", async () => {
    const harness = await RouterTestingHarness.create();
    const navigating = harness.navigateByUrl('/history?q=41');
    await tick();
    http.expectOne('/api/calls/history?limit=50&phone=41').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: ['phone needs at least 3 digits'],
        fields: { phone: ['phone needs at least 3 digits'] },
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
    expect(errors).toContain('Phone number needs at least 3 digits');
    expect(search.getAttribute('aria-describedby')).toContain('history-search-error');
    expect(el.querySelector('#history-search-hint')?.textContent).toContain('national format');
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
