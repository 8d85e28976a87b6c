import { formatCalleeClock, windowWait } from './callee-time';

describe('callee time', () => {
  it("reads an instant on the callee's clock", () => {
    expect(formatCalleeClock('2026-12-01T07:00:00Z', 'Europe/Paris')).toBe('08:00 Tue');
    expect(formatCalleeClock('2026-12-01T07:00:00Z', 'Asia/Tokyo', true)).toBe('16:00 Tue 1 Dec');
  });

  it('says what a call waits for while its window is closed', () => {
    expect(windowWait({ status: 'pending', windowOpensAt: '2026-12-01T07:00:00Z', timezone: 'Europe/Paris' })).toBe("waits for 08:00 Tue, callee's time");
    expect(windowWait({ status: 'pending', windowOpensAt: null, timezone: 'Europe/Paris' })).toBeNull();
    expect(windowWait({ status: 'dispatched', windowOpensAt: '2026-12-01T07:00:00Z', timezone: 'Europe/Paris' })).toBeNull();
  });
});
