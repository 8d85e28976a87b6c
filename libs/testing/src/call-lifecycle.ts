import type { CallCommand, CallState } from '#domain';
import type { SeededRandom } from './seeded-random.js';

/** Who issues a command; it becomes the event's metadata.actor. */
export type Actor = 'api' | 'dispatcher' | 'status-follower';

/** The next thing that happens to a simulated call: a command, at a time. */
export interface Step {
  at: number;
  command: CallCommand;
  actor: Actor;
  // The decider's random draw (retry jitter of a failed attempt), drawn where the command is.
  random?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const TIMEZONES = ['Europe/London', 'Europe/Paris', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'];
const CERTAIN_FAILURES = ['Call API answered 503 Service Unavailable', 'connect ECONNREFUSED 127.0.0.1:5000', 'Call API answered 429 Too Many Requests'];
const UNCERTAIN_FAILURES = ['no answer from the Call API within 10000 ms', 'socket hang up', 'Call API answered 502 Bad Gateway'];

/**
 * A pool of valid phone numbers in E.164 (fictional ranges: US 555-01xx, UK drama numbers, …).
 * Numbers repeat across calls, as real customers do.
 */
export function phoneNumberPool(random: SeededRandom, size = 2000): string[] {
  const templates: (() => string)[] = [
    () => `+1${random.pick(['415', '212', '646', '312', '617'])}5550${random.int(100, 199)}`,
    () => `+4420794600${random.int(0, 9)}${random.int(0, 9)}`,
    () => `+331990${random.int(10000, 99999)}`,
    () => `+61291${random.int(100000, 999999)}`,
    () => `+4930901${random.int(100, 999)}`,
  ];
  return Array.from({ length: size }, () => random.pick(templates)());
}

/** The per-call things the script remembers between steps. */
export interface CallScript {
  reschedules: number;
  // Scheduled far ahead: still pending when the simulation ends.
  parked: boolean;
}

/**
 * What happens next to a call in status `state.status` at time `now` (ms), or null when nothing
 * will: the realistic mix of reschedules, cancellations, misfires, failed and retried attempts,
 * unknown outcomes that an operator settles, and every provider ending.
 */
export function nextStep(state: CallState, script: CallScript, now: number, random: SeededRandom, phoneNumbers: readonly string[]): Step | null {
  switch (state.status) {
    case 'new': {
      const roll = random.next();
      const delay = roll < 0.05 ? null : roll < 0.08 ? random.between(1 * DAY, 14 * DAY) : random.between(30 * SECOND, 90 * MINUTE);
      script.parked = roll >= 0.05 && roll < 0.08;
      const timezone = random.chance(0.25) ? random.pick(TIMEZONES) : undefined;
      const scheduledAt = delay === null ? undefined : new Date(now + delay).toISOString();
      return { at: now, actor: 'api', command: { type: 'ScheduleCall', phoneNumber: random.pick(phoneNumbers), scheduledAt, timezone } };
    }
    case 'pending':
      return pendingStep(state, script, now, random);
    case 'dispatching': {
      const at = now + random.between(40, 900);
      const roll = random.next();
      if (roll < 0.86)
        return { at, actor: 'dispatcher', command: { type: 'RecordDispatch', providerCallId: `CA${random.hex(32)}`, providerStatus: 'initiated' } };
      if (roll < 0.95) {
        const reason = random.pick(CERTAIN_FAILURES);
        return { at, actor: 'dispatcher', command: { type: 'RecordDispatchFailure', reason, certain: true, retryable: true }, random: random.next() };
      }
      if (roll < 0.96) {
        const reason = 'Call API answered 400 Bad Request: number not reachable';
        return { at, actor: 'dispatcher', command: { type: 'RecordDispatchFailure', reason, certain: true, retryable: false }, random: random.next() };
      }
      const reason = random.pick(UNCERTAIN_FAILURES);
      return { at, actor: 'dispatcher', command: { type: 'RecordDispatchFailure', reason, certain: false, retryable: true }, random: random.next() };
    }
    case 'outcome-unknown': {
      const at = now + random.between(2 * MINUTE, 60 * MINUTE);
      if (random.chance(0.55)) return { at, actor: 'api', command: { type: 'DispatchNow' } };
      return { at, actor: 'api', command: { type: 'CancelCall', reason: 'outcome unknown: operator decided not to redial' } };
    }
    case 'dispatched': {
      const at = now + random.between(0.5 * SECOND, 4 * SECOND);
      const roll = random.next();
      if (roll < 0.005)
        return {
          at: at + 10 * MINUTE,
          actor: 'status-follower',
          command: { type: 'LoseTracking', reason: 'the Call API no longer knows the call (404 ten times)' },
        };
      return { at, actor: 'status-follower', command: { type: 'RecordStatus', providerStatus: roll < 0.035 ? 'failed' : 'ringing' } };
    }
    case 'ringing': {
      const at = now + random.between(3 * SECOND, 30 * SECOND);
      const roll = random.next();
      const providerStatus = roll < 0.62 ? 'in-progress' : roll < 0.82 ? 'no-answer' : roll < 0.95 ? 'busy' : 'failed';
      return { at, actor: 'status-follower', command: { type: 'RecordStatus', providerStatus } };
    }
    case 'connected': {
      const duration = Math.round(random.between(10, 480));
      return { at: now + duration * SECOND, actor: 'status-follower', command: { type: 'RecordStatus', providerStatus: 'completed', duration } };
    }
    default:
      return null;
  }
}

function pendingStep(state: CallState, script: CallScript, now: number, random: SeededRandom): Step {
  const due = Date.parse(state.dueAt ?? state.scheduledAt);
  // A retry after a failed attempt, or an operator's "dial now": the dispatcher picks it up at once.
  if (state.attempts > 0 || due <= now) return { at: Math.max(now, due) + random.between(5, 800), actor: 'dispatcher', command: { type: 'StartDispatch' } };
  const lead = due - now;
  const roll = random.next();
  if (lead > MINUTE && script.reschedules < 2 && roll < 0.08) {
    script.reschedules += 1;
    const at = now + random.between(0, lead);
    const scheduledAt = new Date(at + random.between(MINUTE, 2 * HOUR)).toISOString();
    return { at, actor: 'api', command: { type: 'RescheduleCall', scheduledAt } };
  }
  if (lead > MINUTE && roll < 0.13) {
    return { at: now + random.between(0, lead), actor: 'api', command: { type: 'CancelCall', reason: random.pick(['customer asked', 'duplicate', '']) } };
  }
  if (lead > MINUTE && roll < 0.15) return { at: now + random.between(0, lead), actor: 'api', command: { type: 'DispatchNow' } };
  // The scheduler was down when the call fell due: at start-up it is past the misfire grace.
  if (!script.parked && roll < 0.17) return { at: due + random.between(16 * MINUTE, 90 * MINUTE), actor: 'dispatcher', command: { type: 'StartDispatch' } };
  return { at: due + random.between(5, 1500), actor: 'dispatcher', command: { type: 'StartDispatch' } };
}
