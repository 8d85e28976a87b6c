import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { makeCall, makeChange, makeEvent } from '../../testing/fixtures';
import { settle } from '../../testing/settle';
import { CallChange, LiveService } from '../live/live.service';
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

  const scheduled = makeEvent({ position: 1, streamId: 'c1', version: 1, type: 'CallScheduled', data: { phoneNumber: '+14155550100', scheduledAt: '2030-01-01T10:00:00Z', timezone: 'Europe/Paris' }, metadata: { actor: 'api' } });
  const dispatched = makeEvent({ position: 4, streamId: 'c1', version: 3, type: 'CallDispatched', occurredAt: '2030-01-01T10:00:00.120Z', data: { attempt: 1, providerCallId: 'p1', providerStatus: 'initiated', latenessMs: 120 }, metadata: { actor: 'dispatcher' } });

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
    const dial = items()[1].textContent!;
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
    expect(el.querySelector('.page-header app-status-chip')?.textContent?.trim()).toBe('ringing');
  });

  it('offers "dispatch anyway" and cancel for an outcome-unknown call', async () => {
    const { fixture, el } = await render(makeCall({ id: 'c1', status: 'outcome-unknown', version: 4 }));
    const dispatch = Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Dispatch anyway')!;
    expect(dispatch).toBeDefined();
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.trim() === 'Cancel call')).toBe(true);
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
    expect(fixture.nativeElement.querySelector('[role=alert]')?.textContent).toContain('No call with this id.');
  });
});
