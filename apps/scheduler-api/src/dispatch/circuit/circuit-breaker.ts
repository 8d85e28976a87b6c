export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  // Consecutive "unavailable" answers that open the circuit.
  failureThreshold: number;
  probeBaseMs: number;
  probeMaxMs: number;
}

/** What changed, for the caller to record and log. */
export type CircuitTransition = { kind: 'opened'; since: number; reason: string; failures: number } | { kind: 'closed'; since: number; at: number } | null;

/**
 * The Call API circuit breaker, pure: time comes in as arguments. Closed: dial. After
 * `failureThreshold` unavailable answers in a row it opens: no dials, only health probes with
 * backoff. A passing probe half-opens it: one trial dial; its success closes the circuit, its
 * failure opens it again. A Retry-After pauses dialling until then whatever the state.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private firstFailureAt: number | null = null;
  private openedSince: number | null = null;
  private lastReason: string | null = null;
  private trialInFlight = false;
  private probeDelay: number;
  private nextProbe = 0;
  private pausedUntil = 0;

  constructor(private readonly options: CircuitOptions) {
    this.probeDelay = options.probeBaseMs;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Since when the Call API has been unavailable (the first failure of the run that opened it). */
  get since(): number | null {
    return this.openedSince;
  }

  get reason(): string | null {
    return this.lastReason;
  }

  /** May a dial start now? In half-open, only the one trial; call `acquire` to take it. */
  canDial(now: number): boolean {
    if (now < this.pausedUntil) return false;
    if (this.current === 'closed') return true;
    return this.current === 'half-open' && !this.trialInFlight;
  }

  /** Takes the right to dial (the trial, when half-open). False when not allowed. */
  acquire(now: number): boolean {
    if (!this.canDial(now)) return false;
    if (this.current === 'half-open') this.trialInFlight = true;
    return true;
  }

  /** The Call API answered (any answer that is not "unavailable"): it is reachable. */
  onReached(now: number): CircuitTransition {
    this.failures = 0;
    this.firstFailureAt = null;
    this.trialInFlight = false;
    if (this.current === 'closed') return null;
    return this.close(now);
  }

  onUnavailable(now: number, reason: string, retryAfterMs: number | null): CircuitTransition {
    this.lastReason = reason;
    if (retryAfterMs !== null) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.failures += 1;
    this.firstFailureAt ??= now;
    if (this.current === 'half-open') {
      // The trial failed: back to probing, with a longer wait.
      this.trialInFlight = false;
      this.current = 'open';
      this.scheduleProbe(now, true);
      return null;
    }
    if (this.current === 'closed' && this.failures >= this.options.failureThreshold) {
      return this.open(this.firstFailureAt, reason, now);
    }
    return null;
  }

  /** Another instance recorded the Call API down: stop dialling here too. */
  adoptOpen(since: number, reason: string, now: number): void {
    if (this.current !== 'closed') return;
    this.open(since, reason, now);
  }

  /** Another instance recorded the Call API back: dial again. */
  adoptClosed(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.reset();
  }

  isProbeDue(now: number): boolean {
    return this.current === 'open' && now >= Math.max(this.nextProbe, this.pausedUntil);
  }

  /** When the next probe is due (for arming a timer); null when not probing. */
  nextProbeAt(): number | null {
    return this.current === 'open' ? Math.max(this.nextProbe, this.pausedUntil) : null;
  }

  /**
   * The health probe's result. A pass half-opens the circuit, or closes it at once when nothing
   * waits to be dialled (no trial would ever come). A failure waits longer before the next probe.
   */
  onProbe(now: number, ok: boolean, waiting: number, reason: string): CircuitTransition {
    if (this.current !== 'open') return null;
    if (!ok) {
      this.lastReason = reason;
      this.scheduleProbe(now, true);
      return null;
    }
    if (waiting === 0) return this.close(now);
    this.current = 'half-open';
    return null;
  }

  private open(since: number, reason: string, now: number): CircuitTransition {
    this.current = 'open';
    this.openedSince = since;
    this.lastReason = reason;
    this.probeDelay = this.options.probeBaseMs;
    this.scheduleProbe(now, false);
    return { kind: 'opened', since, reason, failures: this.failures };
  }

  private close(now: number): CircuitTransition {
    const since = this.openedSince ?? now;
    this.current = 'closed';
    this.reset();
    return { kind: 'closed', since, at: now };
  }

  private reset(): void {
    this.failures = 0;
    this.firstFailureAt = null;
    this.openedSince = null;
    this.lastReason = null;
    this.trialInFlight = false;
    this.probeDelay = this.options.probeBaseMs;
  }

  private scheduleProbe(now: number, backOff: boolean): void {
    if (backOff) this.probeDelay = Math.min(this.options.probeMaxMs, this.probeDelay * 2);
    this.nextProbe = now + this.probeDelay;
  }
}
