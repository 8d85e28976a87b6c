import { CircuitBreaker } from './circuit-breaker.js';

const options = { failureThreshold: 3, probeBaseMs: 1000, probeMaxMs: 8000 };

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and resets its count when the Call API answers', () => {
    const breaker = new CircuitBreaker(options);
    expect(breaker.onUnavailable(0, 'ECONNREFUSED', null)).toBeNull();
    expect(breaker.onUnavailable(1, 'ECONNREFUSED', null)).toBeNull();
    expect(breaker.onReached(2)).toBeNull();
    expect(breaker.onUnavailable(3, 'ECONNREFUSED', null)).toBeNull();
    expect(breaker.onUnavailable(4, 'ECONNREFUSED', null)).toBeNull();
    expect(breaker.state).toBe('closed');
  });

  it('opens on the third failure in a row, since the first of them, and stops dials', () => {
    const breaker = new CircuitBreaker(options);
    breaker.onUnavailable(100, 'ECONNREFUSED', null);
    breaker.onUnavailable(200, 'ECONNREFUSED', null);
    expect(breaker.onUnavailable(300, 'HTTP 503', null)).toEqual({ kind: 'opened', since: 100, reason: 'HTTP 503', failures: 3 });
    expect(breaker.state).toBe('open');
    expect(breaker.canDial(301)).toBe(false);
    expect(breaker.acquire(301)).toBe(false);
  });

  it('probes with backoff while the probes fail, capped', () => {
    const breaker = new CircuitBreaker({ ...options, failureThreshold: 1 });
    breaker.onUnavailable(0, 'x', null);
    expect(breaker.nextProbeAt()).toBe(1000);
    expect(breaker.isProbeDue(999)).toBe(false);
    const due: number[] = [];
    let now = 1000;
    for (let i = 0; i < 5; i++) {
      breaker.onProbe(now, false, 10, 'refused');
      now = breaker.nextProbeAt()!;
      due.push(now);
    }
    expect(due).toEqual([3000, 7000, 15000, 23000, 31000]);
  });

  it('half-opens on a passing probe and lets exactly one trial dial through; its success closes the circuit', () => {
    const breaker = new CircuitBreaker({ ...options, failureThreshold: 1 });
    breaker.onUnavailable(0, 'x', null);
    expect(breaker.onProbe(1000, true, 5, 'ok')).toBeNull();
    expect(breaker.state).toBe('half-open');
    expect(breaker.acquire(1001)).toBe(true);
    expect(breaker.acquire(1002)).toBe(false);
    expect(breaker.onReached(1100)).toEqual({ kind: 'closed', since: 0, at: 1100 });
    expect(breaker.acquire(1101)).toBe(true);
    expect(breaker.acquire(1102)).toBe(true);
  });

  it('goes back to probing, later, when the trial dial fails', () => {
    const breaker = new CircuitBreaker({ ...options, failureThreshold: 1 });
    breaker.onUnavailable(0, 'x', null);
    breaker.onProbe(1000, true, 5, 'ok');
    breaker.acquire(1001);
    expect(breaker.onUnavailable(1050, 'HTTP 503', null)).toBeNull();
    expect(breaker.state).toBe('open');
    expect(breaker.nextProbeAt()).toBe(3050);
    expect(breaker.since).toBe(0);
  });

  it('closes on a passing probe at once when nothing waits to be dialled', () => {
    const breaker = new CircuitBreaker({ ...options, failureThreshold: 1 });
    breaker.onUnavailable(0, 'x', null);
    expect(breaker.onProbe(1000, true, 0, 'ok')).toEqual({ kind: 'closed', since: 0, at: 1000 });
  });

  it('pauses dials until Retry-After has passed, even while closed, and probes no earlier', () => {
    const breaker = new CircuitBreaker(options);
    breaker.onUnavailable(0, 'HTTP 429', 5000);
    expect(breaker.state).toBe('closed');
    expect(breaker.canDial(4999)).toBe(false);
    expect(breaker.canDial(5000)).toBe(true);
    breaker.onUnavailable(10, 'HTTP 429', 5000);
    breaker.onUnavailable(20, 'HTTP 429', 5000);
    expect(breaker.nextProbeAt()).toBe(5020);
  });

  it('adopts what another instance recorded', () => {
    const breaker = new CircuitBreaker(options);
    breaker.adoptOpen(50, 'ECONNREFUSED', 100);
    expect(breaker).toMatchObject({ state: 'open', since: 50, reason: 'ECONNREFUSED' });
    breaker.adoptClosed();
    expect(breaker.canDial(101)).toBe(true);
    expect(breaker.since).toBeNull();
  });
});
