import { randomUUID } from 'node:crypto';
import { formatLocalIso, nowMicros } from './local-timestamp.js';
import type { CallOutcome } from './mock-options.js';

/** A call as the stand-in remembers it; its status is derived from the clock, never stored. */
export interface CallRecord {
  readonly id: string;
  readonly phoneNumber: string;
  /** Microseconds since the epoch. */
  readonly createdAt: number;
  readonly createdAtIso: string;
  /** MOCK_TIME_SCALE when the call was placed: changing the option later does not bend old calls. */
  readonly timeScale: number;
  readonly outcome: CallOutcome;
  readonly idempotencyKey: string | null;
}

/** The CALL object of CALL_API.md. Keys are declared in sorted order, which JSON.stringify keeps. */
export interface CallSnapshot {
  created_at: string;
  duration: number | null;
  id: string;
  phone_number: string;
  status: string;
  updated_at: string;
}

export interface DialCounts {
  total: number;
  byNumber: Record<string, number>;
  // The most dials that fell in any one-second window: what a provider's per-second limit sees.
  maxPerSecond: number;
}

interface Stage {
  atSeconds: number;
  status: string;
  duration: number | null;
}

// The real API's fixed timers. A call that is not answered ends where it would have been connected;
// like Twilio, it reports a duration of 0 (ended, nobody talked) rather than null (still going).
const ANSWERED: readonly Stage[] = [
  { atSeconds: 0, status: 'initiated', duration: null },
  { atSeconds: 2, status: 'ringing', duration: null },
  { atSeconds: 5, status: 'connected', duration: null },
  { atSeconds: 10, status: 'completed', duration: 10 },
];
const unanswered = (status: CallOutcome): readonly Stage[] => [...ANSWERED.slice(0, 2), { atSeconds: 5, status, duration: 0 }];
const TIMELINES: Record<CallOutcome, readonly Stage[]> = {
  completed: ANSWERED,
  busy: unanswered('busy'),
  'no-answer': unanswered('no-answer'),
  failed: unanswered('failed'),
};

export interface DialRequest {
  phoneNumber: string;
  outcome: CallOutcome;
  timeScale: number;
  idempotencyKey: string | null;
}

/**
 * Calls in memory, as the real API keeps them, plus what only a test wants to know: how often each
 * number was dialled. No timers: the status is computed when asked, so 10k live calls cost nothing.
 */
export class CallRegistry {
  private readonly calls = new Map<string, CallRecord>();
  private readonly idByKey = new Map<string, string>();
  private readonly dialsByNumber = new Map<string, number>();
  private totalDials = 0;
  private readonly dialTimes: number[] = [];
  /** MOCK_FORGET_AFTER_MS; null keeps calls for ever (until reset). */
  forgetAfterMs: number | null = null;

  constructor(private readonly clock: () => number = nowMicros) {}

  /** Places a call: it exists from now on and counts as a dial, whatever the HTTP answer will be. */
  dial(request: DialRequest): CallRecord {
    this.forgetExpired();
    const createdAt = this.clock();
    const record: CallRecord = {
      id: randomUUID(),
      phoneNumber: request.phoneNumber,
      createdAt,
      createdAtIso: formatLocalIso(createdAt),
      timeScale: request.timeScale,
      outcome: request.outcome,
      idempotencyKey: request.idempotencyKey,
    };
    this.calls.set(record.id, record);
    if (record.idempotencyKey !== null) this.idByKey.set(record.idempotencyKey, record.id);
    this.totalDials += 1;
    this.dialTimes.push(performance.now());
    this.dialsByNumber.set(record.phoneNumber, (this.dialsByNumber.get(record.phoneNumber) ?? 0) + 1);
    return record;
  }

  find(id: string): CallRecord | undefined {
    this.forgetExpired();
    return this.calls.get(id);
  }

  findByIdempotencyKey(key: string): CallRecord | undefined {
    const id = this.idByKey.get(key);
    return id === undefined ? undefined : this.find(id);
  }

  /** The call as the API shows it at this moment. */
  snapshot(record: CallRecord): CallSnapshot {
    const elapsed = this.clock() - record.createdAt;
    const timeline = TIMELINES[record.outcome];
    let stage = timeline[0];
    let stageAt = 0;
    for (const candidate of timeline) {
      const at = Math.round(candidate.atSeconds * 1_000_000 * record.timeScale);
      if (at > elapsed) break;
      stage = candidate;
      stageAt = at;
    }
    return {
      created_at: record.createdAtIso,
      duration: stage.duration,
      id: record.id,
      phone_number: record.phoneNumber,
      status: stage.status,
      updated_at: stageAt === 0 ? record.createdAtIso : formatLocalIso(record.createdAt + stageAt),
    };
  }

  dials(): DialCounts {
    return { total: this.totalDials, byNumber: Object.fromEntries(this.dialsByNumber), maxPerSecond: maxInAnySecond(this.dialTimes) };
  }

  get size(): number {
    return this.calls.size;
  }

  /** Forgets every call, key and counter, as if the provider and the test had both started afresh. */
  reset(): void {
    this.calls.clear();
    this.idByKey.clear();
    this.dialsByNumber.clear();
    this.totalDials = 0;
    this.dialTimes.length = 0;
  }

  // Calls sit in the Map in creation order (the clock is monotonic), so the expired ones are a
  // prefix: dropping them costs only what is dropped.
  private forgetExpired(): void {
    if (this.forgetAfterMs === null) return;
    const cutoff = this.clock() - this.forgetAfterMs * 1000;
    for (const [id, record] of this.calls) {
      if (record.createdAt > cutoff) break;
      this.calls.delete(id);
      if (record.idempotencyKey !== null && this.idByKey.get(record.idempotencyKey) === id) this.idByKey.delete(record.idempotencyKey);
    }
  }
}

/** Two pointers over times in ascending order: the largest count within any window of 1000 ms. */
function maxInAnySecond(times: readonly number[]): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
