import { CallRegistry, type DialRequest } from './call-registry.js';
import type { CallOutcome } from './mock-options.js';

function fakeClock() {
  let micros = new Date(2025, 10, 1, 14, 0, 0, 0).getTime() * 1000 + 123_456;
  return {
    now: () => micros,
    advance: (ms: number) => {
      micros += Math.round(ms * 1000);
    },
  };
}

const request = (overrides: Partial<DialRequest> = {}): DialRequest => ({
  phoneNumber: '+14155550100',
  outcome: 'completed',
  timeScale: 1,
  idempotencyKey: null,
  ...overrides,
});

describe('CallRegistry', () => {
  it('moves a call initiated → ringing (+2 s) → connected (+5 s) → completed (+10 s, duration 10)', () => {
    const clock = fakeClock();
    const registry = new CallRegistry(clock.now);
    const call = registry.dial(request());
    const seen = (atMs: number) => {
      clock.advance(atMs);
      const { status, duration, updated_at } = registry.snapshot(call);
      return { status, duration, updated_at };
    };
    expect(seen(0)).toEqual({ status: 'initiated', duration: null, updated_at: '2025-11-01T14:00:00.123456' });
    expect(seen(1999.999)).toMatchObject({ status: 'initiated' });
    expect(seen(0.001)).toEqual({ status: 'ringing', duration: null, updated_at: '2025-11-01T14:00:02.123456' });
    expect(seen(3000)).toEqual({ status: 'connected', duration: null, updated_at: '2025-11-01T14:00:05.123456' });
    expect(seen(4999)).toMatchObject({ status: 'connected' });
    expect(seen(1)).toEqual({ status: 'completed', duration: 10, updated_at: '2025-11-01T14:00:10.123456' });
    expect(seen(3_600_000)).toEqual({ status: 'completed', duration: 10, updated_at: '2025-11-01T14:00:10.123456' });
    expect(registry.snapshot(call).created_at).toBe('2025-11-01T14:00:00.123456');
  });

  it.each<CallOutcome>(['busy', 'no-answer', 'failed'])('ends a %s call where it would have been connected, with duration 0', (outcome) => {
    const clock = fakeClock();
    const registry = new CallRegistry(clock.now);
    const call = registry.dial(request({ outcome }));
    clock.advance(2000);
    expect(registry.snapshot(call)).toMatchObject({ status: 'ringing', duration: null });
    clock.advance(3000);
    expect(registry.snapshot(call)).toMatchObject({ status: outcome, duration: 0, updated_at: '2025-11-01T14:00:05.123456' });
    clock.advance(60_000);
    expect(registry.snapshot(call)).toMatchObject({ status: outcome, duration: 0 });
  });

  it('scales the timers by the time scale the call was placed with, keeping the reported duration', () => {
    const clock = fakeClock();
    const registry = new CallRegistry(clock.now);
    const call = registry.dial(request({ timeScale: 0.1 }));
    clock.advance(199);
    expect(registry.snapshot(call).status).toBe('initiated');
    clock.advance(1);
    expect(registry.snapshot(call).status).toBe('ringing');
    clock.advance(800);
    expect(registry.snapshot(call)).toMatchObject({ status: 'completed', duration: 10, updated_at: '2025-11-01T14:00:01.123456' });
  });

  it('ends a call at once with a time scale of 0', () => {
    const registry = new CallRegistry(fakeClock().now);
    expect(registry.snapshot(registry.dial(request({ timeScale: 0 })))).toMatchObject({ status: 'completed', duration: 10 });
  });

  it('gives each call a UUID v4 and keeps its phone number', () => {
    const registry = new CallRegistry(fakeClock().now);
    const a = registry.dial(request());
    const b = registry.dial(request());
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(registry.find(a.id)?.phoneNumber).toBe('+14155550100');
    expect(registry.find('nope')).toBeUndefined();
  });

  it('counts every dial per number', () => {
    const registry = new CallRegistry(fakeClock().now);
    registry.dial(request());
    registry.dial(request());
    registry.dial(request({ phoneNumber: '+442071838750' }));
    expect(registry.dials()).toEqual({ total: 3, byNumber: { '+14155550100': 2, '+442071838750': 1 }, maxPerSecond: 3 });
    registry.reset();
    expect(registry.dials()).toEqual({ total: 0, byNumber: {}, maxPerSecond: 0 });
    expect(registry.size).toBe(0);
  });

  it('finds a call by its idempotency key', () => {
    const registry = new CallRegistry(fakeClock().now);
    const call = registry.dial(request({ idempotencyKey: 'k1' }));
    expect(registry.findByIdempotencyKey('k1')).toBe(call);
    expect(registry.findByIdempotencyKey('k2')).toBeUndefined();
  });

  it('forgets calls and their keys forgetAfterMs after creation, but not their dials', () => {
    const clock = fakeClock();
    const registry = new CallRegistry(clock.now);
    registry.forgetAfterMs = 1000;
    const old = registry.dial(request({ idempotencyKey: 'old' }));
    clock.advance(600);
    const young = registry.dial(request());
    clock.advance(399);
    expect(registry.find(old.id)).toBe(old);
    clock.advance(1);
    expect(registry.find(old.id)).toBeUndefined();
    expect(registry.findByIdempotencyKey('old')).toBeUndefined();
    expect(registry.find(young.id)).toBe(young);
    expect(registry.size).toBe(1);
    expect(registry.dials().total).toBe(2);
  });
});
