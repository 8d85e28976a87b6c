import { formatLocalIso, nowMicros } from './local-timestamp.js';

describe('formatLocalIso', () => {
  const localMicros = (ms: number, extraMicros: number) => ms * 1000 + extraMicros;

  it('writes local wall-clock time with microseconds and no offset, like Python isoformat()', () => {
    const ms = new Date(2025, 10, 1, 14, 0, 0, 123).getTime();
    expect(formatLocalIso(localMicros(ms, 456))).toBe('2025-11-01T14:00:00.123456');
  });

  it('pads every field', () => {
    const ms = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatLocalIso(localMicros(ms, 7))).toBe('2026-01-02T03:04:05.006007');
  });

  it('leaves the fraction out when it is exactly zero, as Python does', () => {
    const ms = new Date(2025, 10, 1, 14, 0, 0, 0).getTime();
    expect(formatLocalIso(localMicros(ms, 0))).toBe('2025-11-01T14:00:00');
  });
});

describe('nowMicros', () => {
  it('tracks the wall clock in microseconds and never goes back', () => {
    const a = nowMicros();
    const b = nowMicros();
    expect(Number.isInteger(a)).toBe(true);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(a / 1000 - Date.now())).toBeLessThan(1000);
  });
});
