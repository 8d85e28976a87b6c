import type { StoredEventView } from '@call-scheduler/domain/call-view';
import type { CallEventDataMap, CallEventType } from '@call-scheduler/domain/events';
import { formatMs } from '../shared/time';

export type EventTone = 'info' | 'progress' | 'success' | 'warning' | 'danger' | 'muted';

/** One line of the audit timeline, in words an operator can read to a customer. */
export interface EventDescription {
  title: string;
  details: string[];
  tone: EventTone;
}

type FormatTime = (iso: string | null | undefined) => string;

const ENDED_WELL = new Set(['completed']);
const ENDED_BADLY = new Set(['failed']);
const ENDED_UNANSWERED = new Set(['busy', 'no-answer']);

/** Who caused an event: metadata.actor ("api", "dispatcher", "operator:ann"), or "system". */
/** Who acted (the API key's name), and for whom when they said so (X-Actor, recorded as onBehalfOf). */
export function actorOf(event: StoredEventView): string {
  const actor = event.metadata['actor'];
  const name = typeof actor === 'string' && actor ? actor : 'system';
  const behalf = event.metadata['onBehalfOf'];
  return typeof behalf === 'string' && behalf ? `${name} (on behalf of ${behalf})` : name;
}

type Describe<K extends CallEventType> = (data: Partial<CallEventDataMap[K]>, time: FormatTime) => EventDescription;

/** Each call event's words; a new event type does not compile until it has its entry here. */
const DESCRIBE: { [K in CallEventType]: Describe<K> } = {
  CallScheduled: (d, time) => ({
    title: 'Scheduled',
    tone: 'info',
    details: [
      `Number ${d.phoneNumber ?? '?'}`,
      `Due ${time(d.scheduledAt)}`,
      ...(d.timezone ? [`Callee's time zone ${d.timezone}`] : []),
      ...(d.callingWindow ? [`Calling window ${d.callingWindow}`] : []),
    ],
  }),
  CallRescheduled: (d, time) => {
    const title = d.reason === 'dispatch-now' ? 'Call now requested' : d.reason === 'dispatch-anyway' ? 'Dispatch anyway requested' : 'Rescheduled';
    // "Call now" moves only when it is dialled; the call keeps the time it was scheduled for.
    const details = d.reason === 'reschedule' || !d.dueAt ? [`From ${time(d.previousScheduledAt)} to ${time(d.scheduledAt)}`] : [`Dial at ${time(d.dueAt)}`];
    if (d.deadline) details.push(`Place by ${time(d.deadline)}`);
    // Present only when the reschedule changed them (CallRescheduled v3).
    if (d.timezone !== undefined) details.push(d.timezone ? `Callee's time zone now ${d.timezone}` : "Callee's time zone removed");
    if (d.callingWindow !== undefined) details.push(d.callingWindow ? `Calling window now ${d.callingWindow}` : 'Calling window now any time');
    return { title, tone: 'info', details };
  },
  CallRetried: (d, time) => ({
    title: 'Retry requested',
    tone: 'info',
    details: [`Was ${d.previousStatus ?? '?'}`, `Dial at ${time(d.at)}`, ...(d.deadline ? [`Place by ${time(d.deadline)}`] : [])],
  }),
  CallDispatchDeferred: (d, time) => ({
    title: 'Call API unavailable: waiting',
    tone: 'warning',
    details: [`Reason: ${d.reason ?? 'unknown'}`, 'Nothing was placed; the attempt does not count', `Next try ${time(d.retryAt)} or when the Call API is back`],
  }),
  CallDeferredToWindow: (d, time) => ({
    title: 'Waiting for the calling window',
    tone: 'muted',
    details: [...(d.reason ? [d.reason] : []), `Due again ${time(d.until)}`],
  }),
  CallCancelled: (d) => ({ title: 'Cancelled', tone: 'muted', details: d.reason ? [`Reason: ${d.reason}`] : [] }),
  CallDispatchStarted: (d) => ({
    title: `Dial attempt ${d.attempt ?? '?'} started`,
    tone: 'progress',
    details: d.idempotencyKey ? [`Idempotency-Key ${d.idempotencyKey}`] : [],
  }),
  CallDispatched: (d) => ({
    title: `Dialled (attempt ${d.attempt ?? '?'})`,
    tone: 'progress',
    details: [
      `Lateness ${formatMs(d.latenessMs)} after the scheduled time`,
      `Provider call ${d.providerCallId ?? '?'}${d.providerStatus ? `, status ${d.providerStatus}` : ''}`,
    ],
  }),
  CallDispatchFailed: (d, time) => ({
    title: `Attempt ${d.attempt ?? '?'} failed`,
    tone: d.retryAt ? 'warning' : 'danger',
    details: [
      `Reason: ${d.reason ?? 'unknown'}`,
      d.certain === false ? 'The provider may have placed the call' : 'Nothing was placed',
      d.retryAt ? `Retry at ${time(d.retryAt)}` : 'No retry: attempts used up or not retryable',
    ],
  }),
  CallOutcomeUnknown: (d) => ({
    title: 'Outcome unknown',
    tone: 'danger',
    details: [
      `Attempt ${d.attempt ?? '?'}: ${d.reason ?? 'the answer was lost'}`,
      'The call may have been placed. An operator decides: dispatch anyway or cancel.',
    ],
  }),
  CallStatusChanged: (d) => {
    const to = d.to ?? '?';
    const tone: EventTone = ENDED_WELL.has(to) ? 'success' : ENDED_BADLY.has(to) ? 'danger' : ENDED_UNANSWERED.has(to) ? 'warning' : 'progress';
    return {
      title: `${d.from ?? '?'} → ${to}`,
      tone,
      details: [...(d.providerStatus ? [`Provider status ${d.providerStatus}`] : []), ...(typeof d.duration === 'number' ? [`Duration ${d.duration} s`] : [])],
    };
  },
  CallMissed: (d) => ({
    title: 'Missed',
    tone: 'warning',
    details: [`Reason: ${d.reason ?? 'unknown'}`, `Found ${formatMs(d.latenessMs)} after it was due`],
  }),
  CallTrackingLost: (d) => ({ title: 'Tracking lost', tone: 'muted', details: [`Reason: ${d.reason ?? 'unknown'}`] }),
};

export function describeEvent(event: StoredEventView, time: FormatTime): EventDescription {
  const describe = (DESCRIBE as Partial<Record<string, Describe<CallEventType>>>)[event.type];
  // A type this dashboard does not know yet (a newer service): its payload as it is.
  return describe ? describe(event.data, time) : { title: event.type, tone: 'muted', details: [JSON.stringify(event.data)] };
}
