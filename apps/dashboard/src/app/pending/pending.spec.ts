import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { makeCall, makeChange } from '../../testing/fixtures';
import { type CallChange, LiveService } from '../live/live.service';
import { USER_TIME_ZONE } from '../shared/time';
import { Pending } from './pending';
import { settle } from '../../testing/settle';

describe('Pending page', () => {
  let http: HttpTestingController;
  let changes: Subject<CallChange>;
  let reconnected: Subject<void>;

  beforeEach(() => {
    changes = new Subject<CallChange>();
    reconnected = new Subject<void>();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: LiveService, useValue: { changes, reconnected } },
        { provide: USER_TIME_ZONE, useValue: 'Europe/Paris' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render(items = [makeCall({ id: 'a', phoneNumber: '+14155550100' })], nextCursor: string | null = null) {
    const fixture = TestBed.createComponent(Pending);
    fixture.detectChanges();
    http.expectOne('/api/calls/pending?limit=50').flush({ items, nextCursor });
    await settle(fixture);
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  const rows = (el: HTMLElement) => Array.from(el.querySelectorAll<HTMLElement>('tr.pending-row'));
  const button = (root: HTMLElement, text: string) => Array.from(root.querySelectorAll('button')).find((b) => b.textContent.trim() === text)!;

  it('lists pending calls with their due time in the user zone and a countdown', async () => {
    const due = new Date(Date.now() + 90_000).toISOString();
    const { el } = await render([makeCall({ id: 'a', scheduledAt: due, nextAttemptAt: due })]);
    expect(rows(el)).toHaveLength(1);
    expect(el.textContent).toContain('times in Europe/Paris');
    expect(rows(el)[0].querySelector('[data-testid=countdown]')?.textContent).toMatch(/^in 1m \d\ds$/);
  });

  it('shows a call scheduled elsewhere as it arrives on the live feed', async () => {
    const { fixture, el } = await render([]);
    expect(el.textContent).toContain('No pending calls');
    changes.next(makeChange(makeCall({ id: 'new', phoneNumber: '+442079460958' })));
    await settle(fixture);
    expect(rows(el).map((r) => r.dataset['callId'])).toEqual(['new']);
  });

  it('cancels only after confirmation', async () => {
    const { fixture, el } = await render();
    button(rows(el)[0], 'Cancel').click();
    await settle(fixture);
    http.expectNone('/api/calls/a');
    button(rows(el)[0], 'Yes, cancel it').click();
    const req = http.expectOne('/api/calls/a');
    expect(req.request.method).toBe('DELETE');
    req.flush(makeCall({ id: 'a', status: 'cancelled', version: 2 }));
    await settle(fixture);
    expect(rows(el)).toHaveLength(0);
  });

  it('reschedules to a wall time in the user zone, sent with its offset', async () => {
    const { fixture, el } = await render();
    button(rows(el)[0], 'Reschedule').click();
    await settle(fixture);
    const [date, time] = Array.from(rows(el)[0].querySelectorAll('input'));
    date.value = '2030-07-01';
    date.dispatchEvent(new Event('input'));
    time.value = '08:15:00';
    time.dispatchEvent(new Event('input'));
    button(rows(el)[0], 'Save').click();
    const req = http.expectOne('/api/calls/a');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ scheduledAt: '2030-07-01T06:15:00.000Z' });
    req.flush(makeCall({ id: 'a', scheduledAt: '2030-07-01T06:15:00.000Z', nextAttemptAt: '2030-07-01T06:15:00.000Z', version: 2 }));
    await settle(fixture);
    expect(rows(el)[0].querySelector('time')?.getAttribute('datetime')).toBe('2030-07-01T06:15:00.000Z');
  });

  it('shows the API refusal beside the call', async () => {
    const { fixture, el } = await render();
    button(rows(el)[0], 'Call now').click();
    http
      .expectOne('/api/calls/a/dispatch')
      .flush({ statusCode: 409, error: 'Conflict', message: 'Call a is not pending' }, { status: 409, statusText: 'Conflict' });
    await settle(fixture);
    await settle(fixture);
    expect(rows(el)[0].querySelector('[role=alert]')?.textContent).toContain('Call a is not pending');
  });

  it('pages with Load more', async () => {
    const { fixture, el } = await render([makeCall({ id: 'a' })], 'NEXT');
    button(el, 'Load more').click();
    http
      .expectOne('/api/calls/pending?limit=50&cursor=NEXT')
      .flush({ items: [makeCall({ id: 'b', scheduledAt: '2030-01-02T00:00:00Z', nextAttemptAt: '2030-01-02T00:00:00Z' })], nextCursor: null });
    await settle(fixture);
    expect(rows(el)).toHaveLength(2);
    expect(button(el, 'Load more')).toBeUndefined();
  });
});
