import { makeEvent } from '../../testing/fixtures';
import { actorOf, describeEvent } from './event-description';

const time = (iso: string | null | undefined) => `<${iso}>`;

describe('describeEvent', () => {
  it('states the lateness of the dial', () => {
    const d = describeEvent(
      makeEvent({ type: 'CallDispatched', data: { attempt: 1, providerCallId: 'p-1', providerStatus: 'initiated', latenessMs: 42 } }),
      time,
    );
    expect(d.title).toBe('Dialled (attempt 1)');
    expect(d.details).toContain('Lateness 42 ms after the scheduled time');
    expect(d.details.join(' ')).toContain('p-1');
  });

  it('explains a failed attempt, its reason and the retry', () => {
    const retry = describeEvent(
      makeEvent({ type: 'CallDispatchFailed', data: { attempt: 2, reason: 'HTTP 503', certain: true, retryAt: '2030-01-01T10:00:05Z' } }),
      time,
    );
    expect(retry.title).toBe('Attempt 2 failed');
    expect(retry.details).toEqual(['Reason: HTTP 503', 'Nothing was placed', 'Retry at <2030-01-01T10:00:05Z>']);
    expect(retry.tone).toBe('warning');
    const gaveUp = describeEvent(makeEvent({ type: 'CallDispatchFailed', data: { attempt: 5, reason: 'HTTP 400', certain: true, retryAt: null } }), time);
    expect(gaveUp.tone).toBe('danger');
    expect(gaveUp.details.at(-1)).toMatch(/No retry/);
  });

  it('names operator requests to dial now', () => {
    expect(describeEvent(makeEvent({ type: 'CallRescheduled', data: { reason: 'dispatch-anyway' } }), time).title).toBe('Dispatch anyway requested');
    expect(
      describeEvent(makeEvent({ type: 'CallRescheduled', data: { reason: 'reschedule', previousScheduledAt: 'A', scheduledAt: 'B' } }), time).details,
    ).toEqual(['From <A> to <B>']);
    const moved = makeEvent({
      type: 'CallRescheduled',
      data: { reason: 'reschedule', previousScheduledAt: 'A', scheduledAt: 'B', timezone: 'America/New_York', callingWindow: null },
    });
    expect(describeEvent(moved, time).details).toEqual(['From <A> to <B>', "Callee's time zone now America/New_York", 'Calling window now any time']);
  });

  it('shows status moves with the outcome tone', () => {
    const d = describeEvent(
      makeEvent({ type: 'CallStatusChanged', data: { from: 'connected', to: 'completed', providerStatus: 'completed', duration: 10 } }),
      time,
    );
    expect(d.title).toBe('connected → completed');
    expect(d.tone).toBe('success');
    expect(d.details).toContain('Duration 10 s');
  });

  it('falls back to the raw type for events it does not know', () => {
    expect(describeEvent(makeEvent({ type: 'CallAudited', data: { x: 1 } }), time)).toEqual({ title: 'CallAudited', tone: 'muted', details: ['{"x":1}'] });
  });

  it('reads the actor from metadata', () => {
    expect(actorOf(makeEvent({ metadata: { actor: 'operator' } }))).toBe('operator');
    expect(actorOf(makeEvent({ metadata: {} }))).toBe('system');
    expect(actorOf(makeEvent({ metadata: { actor: 'otto', onBehalfOf: 'bob' } }))).toBe('otto (on behalf of bob)');
  });
  it('describes a deferral for an unreachable Call API as a wait that costs no attempt', () => {
    const d = describeEvent(makeEvent({ type: 'CallDispatchDeferred', data: { attempt: 1, reason: 'ECONNREFUSED', retryAt: 'R' } }), time);
    expect(d.title).toBe('Call API unavailable: waiting');
    expect(d.tone).toBe('warning');
    expect(d.details).toContain('Nothing was placed; the attempt does not count');
  });

  it('describes an operator retry and a dial-now that keeps the scheduled time', () => {
    expect(describeEvent(makeEvent({ type: 'CallRetried', data: { previousStatus: 'missed', at: 'A', deadline: 'D' } }), time).details).toEqual([
      'Was missed',
      `Dial at ${time('A')}`,
      `Place by ${time('D')}`,
    ]);
    const now = describeEvent(
      makeEvent({ type: 'CallRescheduled', data: { reason: 'dispatch-now', scheduledAt: 'S', previousScheduledAt: 'S', dueAt: 'N' } }),
      time,
    );
    expect(now).toMatchObject({ title: 'Call now requested', details: [`Dial at ${time('N')}`] });
  });
});
