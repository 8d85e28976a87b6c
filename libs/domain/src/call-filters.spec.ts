import { CALL_STATUSES } from './call-status.js';
import { parseStatusFilter, phoneSearchDigits } from './call-filters.js';
import { DomainError, DomainErrorCode } from './domain-error.js';

const HISTORY = CALL_STATUSES.filter((s) => s !== 'pending');

describe('parseStatusFilter', () => {
  it('reads several statuses and groups, in status order, without repeats', () => {
    expect(parseStatusFilter('failed,completed')).toEqual(['completed', 'failed']);
    expect(parseStatusFilter('in-progress')).toEqual(['dispatching', 'dispatched', 'ringing', 'connected']);
    expect(parseStatusFilter(' Ringing , in-progress')).toEqual(['dispatching', 'dispatched', 'ringing', 'connected']);
  });

  it.each(['', 'completed,', 'done', 'pending', 'constructor'])('refuses %j for history, naming status', (text) => {
    expect(() => parseStatusFilter(text, HISTORY)).toThrow(DomainError);
    try {
      parseStatusFilter(text, HISTORY);
    } catch (error) {
      expect(error).toMatchObject({ code: DomainErrorCode.InvalidFilter, field: 'status' });
    }
  });
});

describe('phoneSearchDigits', () => {
  it.each([
    ['+44 20 7946', ['44207946']],
    ['020 7946 0958', ['02079460958', '2079460958']],
    ['(415) 555-01', ['41555501']],
    ['555', ['555']],
  ])('%s → %j', (text, digits) => {
    expect(phoneSearchDigits(text)).toEqual(digits);
  });

  it.each(['12', 'abc', '+', "1' OR 1=1"])('refuses %j naming phone', (text) => {
    expect(() => phoneSearchDigits(text)).toThrow(expect.objectContaining({ field: 'phone', code: DomainErrorCode.InvalidFilter }) as Error);
  });
});
