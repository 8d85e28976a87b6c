// Every status a call can be in. `dispatching` means an attempt was recorded as started and its
// answer is not on record yet; after a crash that is exactly the "we may have dialled" window.
export const CALL_STATUSES = [
  'pending',
  'dispatching',
  'dispatched',
  'ringing',
  'connected',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'cancelled',
  'missed',
  'outcome-unknown',
  'untracked',
] as const;

export type CallStatus = (typeof CALL_STATUSES)[number];

/** Statuses after which nothing more happens to the call. */
export const TERMINAL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'cancelled', 'missed', 'untracked'];

/** Statuses in which the provider is still working on the call and we follow it. */
export const IN_PROGRESS_STATUSES: readonly CallStatus[] = ['dispatched', 'ringing', 'connected'];

/** False for 'new' (a call not yet scheduled), so a folded state's status can be asked as it is. */
export function isTerminal(status: CallStatus | 'new'): boolean {
  return status !== 'new' && TERMINAL_STATUSES.includes(status);
}

// Providers use their own words (Twilio: queued, in-progress, canceled). Anything we do not know
// maps to null: it is recorded as the provider's raw status while our status stays put.
const PROVIDER_STATUS_MAP: Record<string, CallStatus> = {
  queued: 'dispatched',
  initiated: 'dispatched',
  ringing: 'ringing',
  connected: 'connected',
  'in-progress': 'connected',
  answered: 'connected',
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'failed',
};

export function statusFromProvider(providerStatus: string): CallStatus | null {
  // hasOwn: "constructor" or "__proto__" from a provider must not find Object.prototype's members.
  const key = providerStatus.toLowerCase();
  return Object.hasOwn(PROVIDER_STATUS_MAP, key) ? PROVIDER_STATUS_MAP[key] : null;
}
