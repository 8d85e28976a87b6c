import { isTerminal, statusFromProvider, TERMINAL_STATUSES, IN_PROGRESS_STATUSES, CALL_STATUSES } from './call-status.js';

describe('statusFromProvider', () => {
  it.each([
    ['initiated', 'dispatched'],
    ['queued', 'dispatched'],
    ['ringing', 'ringing'],
    ['connected', 'connected'],
    ['in-progress', 'connected'],
    ['completed', 'completed'],
    ['busy', 'busy'],
    ['no-answer', 'no-answer'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['RINGING', 'ringing'],
  ])('maps %s to %s', (provider, ours) => {
    expect(statusFromProvider(provider)).toBe(ours);
  });

  it.each(['voicemail', '', 'constructor', 'toString', '__proto__'])('maps the unknown status %j to null', (provider) => {
    expect(statusFromProvider(provider)).toBeNull();
  });
});

describe('isTerminal', () => {
  it.each([...TERMINAL_STATUSES])('holds for %s', (status) => {
    expect(isTerminal(status)).toBe(true);
  });

  it.each(CALL_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)))('does not hold for %s', (status) => {
    expect(isTerminal(status)).toBe(false);
  });

  it('counts no in-progress status as terminal', () => {
    expect(IN_PROGRESS_STATUSES.some(isTerminal)).toBe(false);
  });
});
