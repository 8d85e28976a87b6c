import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { makeCall, makeChange, makeEvent } from '../../testing/fixtures';
import { settle } from '../../testing/settle';
import { type CallChange, LiveService } from '../live/live.service';
import { USER_TIME_ZONE } from '../shared/time';
import { CallDetail } from './call-detail';

describe('Call detail page', () => {
  let http: HttpTestingController;
  let changes: Subject<CallChange>;

  beforeEach(() => {
    changes = new Subject<CallChange>();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: LiveService, useValue: { changes } },
        { provide: USER_TIME_ZONE, useValue: 'UTC' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  const scheduled = makeEvent({
    position: 1,
    streamId: 'c1',
    version: 1,
    type: 'CallScheduled',
    data: { phoneNumber: '+14155550100', scheduledAt: '2030-01-01T10:00:00Z', timezone: 'Europe/Paris' },
    metadata: { actor: 'api' },
  });
  const dispatched = makeEvent({
    position: 4,
    streamId: 'c1',
    version: 3,
    type: 'CallDispatched',
    occurredAt: '2030-01-01T10:00:00.120Z',
    data: { attempt: 1, providerCallId: 'p1', providerStatus: 'initiated', latenessMs: 120 },
    metadata: { actor: 'dispatcher' },
  });

  async function render(call = makeCall({ id: 'c1', status: 'dispatched', version: 3 }), events = [dispatched, scheduled]) {
    const fixture = TestBed.createComponent(CallDetail);
    fixture.componentRef.setInput('id', 'c1');
    fixture.detectChanges();
    http.expectOne('/api/calls/c1').flush(call);
    http.expectOne('/api/calls/c1/events').flush(events);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const items = () => Array.from(el.querySelectorAll<HTMLElement>('.timeline__item'));
    return { fixture, el, items };
  }

  it('shows every event oldest first, with when, who and the dial lateness', async () => {
    const { items } = await render();
    expect(items().map((i) => i.dataset['eventType'])).toEqual(['CallScheduled', 'CallDispatched']);
    const dial = items()[1].textContent;
    expect(dial).toContain('by dispatcher');
    expect(dial).toContain('Lateness 120 ms');
    expect(dial).toContain('10:00:00');
    expect(items()[0].textContent).toContain('by api');
  });

  it('appends events from the live feed and follows the status', async () => {
    const { fixture, el, items } = await render();
    changes.next(
      makeChange(makeCall({ id: 'c1', status: 'ringing', version: 4 }), {
        position: 9,
        type: 'CallStatusChanged',
        data: { from: 'dispatched', to: 'ringing', providerStatus: 'ringing', duration: null },
      }),
    );
    changes.next(makeChange(makeCall({ id: 'other', version: 9 }), { position: 10 }));
    await settle(fixture);
    expect(items()).toHaveLength(3);
    expect(el.querySelector('.page-header app-status-chip')?.textContent.trim()).toBe('ringing');
  });

  it('offers "dispatch anyway" and cancel for an outcome-unknown call', async () => {
    const { fixture, el } = await render(makeCall({ id: 'c1', status: 'outcome-unknown', version: 4 }));
    const dispatch = Array.from(el.querySelectorAll('button')).find((b) => b.textContent.trim() === 'Dispatch anyway')!;
    expect(dispatch).toBeDefined();
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent.trim() === 'Cancel call')).toBe(true);
    dispatch.click();
    const req = http.expectOne('/api/calls/c1/dispatch');
    expect(req.request.method).toBe('POST');
    req.flush(makeCall({ id: 'c1', status: 'pending', version: 5 }));
    await settle(fixture);
    expect(el.textContent).toContain('Dispatch requested.');
  });

  it('offers no actions once the call has ended', async () => {
    const { el } = await render(makeCall({ id: 'c1', status: 'completed', version: 6 }));
    expect(el.querySelector('.actions-card')).toBeNull();
  });

  it('says so when the call does not exist', async () => {
    const fixture = TestBed.createComponent(CallDetail);
    fixture.componentRef.setInput('id', 'c1');
    fixture.detectChanges();
    http.expectOne('/api/calls/c1').flush({ statusCode: 404, message: 'not found' }, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/calls/c1/events').flush([]);
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')?.textContent).toContain('No call with this id.');
  });

  it('shows no dial lateness for an outcome-unknown call: the attempt started, its outcome is unknown', async () => {
    const { el } = await render(makeCall({ id: 'c1', status: 'outcome-unknown', latenessMs: 3, attempts: 1, version: 4 }));
    const lateness = el.querySelector('[data-testid=lateness]')!.textContent;
    expect(lateness).not.toContain('3 ms');
    expect(lateness).toContain('the attempt started but its outcome is unknown');
  });

  it('shows the dial lateness of a call that was dialled', async () => {
    const { el } = await render(
      makeCall({ id: 'c1', status: 'completed', latenessMs: 120, providerCallId: 'p1', dispatchedAt: '2030-01-01T10:00:00.120Z', version: 6 }),
    );
    expect(el.querySelector('[data-testid=lateness]')!.textContent.trim()).toBe('120 ms');
  });

  it('shows "Place by" for a pending call that has a deadline', async () => {
    const { el } = await render(makeCall({ id: 'c1', status: 'pending', deadline: '2030-01-01T10:15:00.000Z' }));
    expect(el.querySelector('[data-testid=deadline]')?.textContent).toContain('10:15:00');
    expect(el.textContent).toContain('Place by');
  });

  it('retries a failed call now after confirmation (POST /retry with an empty body)', async () => {
    const { fixture, el } = await render(makeCall({ id: 'c1', status: 'failed', version: 4 }));
    expect(el.querySelector('[data-testid=retry-card]')).not.toBeNull();
    const button = (name: string) => Array.from(el.querySelectorAll('button')).find((b) => b.textContent.trim() === name)!;
    button('Retry').click();
    await settle(fixture);
    expect(el.textContent).toContain('Dial this call again now?');
    button('Yes, retry').click();
    const req = http.expectOne('/api/calls/c1/retry');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({});
    req.flush(makeCall({ id: 'c1', status: 'pending', version: 5 }));
    await settle(fixture);
    expect(el.querySelector('.page-header app-status-chip')?.textContent.trim()).toBe('pending');
    expect(el.textContent).toContain('Retry requested');
  });

  it('retries a missed call at a chosen time, sent with the offset of the user zone', async () => {
    const { fixture, el } = await render(makeCall({ id: 'c1', status: 'missed', version: 3 }));
    const later = el.querySelector<HTMLInputElement>('input[name=retry-when][value=later]')!;
    later.click();
    await settle(fixture);
    const set = (id: string, value: string) => {
      const input = el.querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    set('retry-date', '2030-06-01');
    set('retry-time', '09:30:00');
    await settle(fixture);
    const button = (name: string) => Array.from(el.querySelectorAll('button')).find((b) => b.textContent.trim() === name)!;
    button('Retry').click();
    await settle(fixture);
    button('Yes, retry').click();
    const req = http.expectOne('/api/calls/c1/retry');
    expect(req.request.body).toEqual({ at: '2030-06-01T09:30:00.000Z' });
    req.flush({ statusCode: 409, error: 'Conflict', message: 'call c1 is pending' }, { status: 409, statusText: 'Conflict' });
    await settle(fixture);
    expect(el.querySelector('[role=alert]')?.textContent).toContain('call c1 is pending');
  });

  it('offers no retry for a completed call', async () => {
    const { el } = await render(makeCall({ id: 'c1', status: 'completed', version: 6 }));
    expect(el.querySelector('[data-testid=retry-card]')).toBeNull();
  });
});
