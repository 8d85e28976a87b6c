import { DomainError, DomainErrorCode } from './domain-error.js';
import { normalisePhoneNumber } from './phone-number.js';

function errorOf(raw: string): DomainError {
  try {
    normalisePhoneNumber(raw);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('normalisePhoneNumber', () => {
  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+1-415-555-0100', '+14155550100'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['  +49 30 901820  ', '+4930901820'],
    ['+14155550100', '+14155550100'],
  ])('normalises %j to E.164 %s', (raw, e164) => {
    expect(normalisePhoneNumber(raw)).toBe(e164);
  });

  it.each([
    ['a number without the leading +', '4155550100'],
    ['a national number with a trunk 0', '020 7946 0958'],
    ['letters in the middle', '+44 20 7946 O958'],
    ['letters after the digits', '+442079460958abc'],
    ['words after the number', '+1 415 555 0100 please'],
    ['an extension, which the Call API cannot dial', '+44 20 7946 0958 ext. 5'],
    ['a number that is too short', '+4412'],
    ['a number one digit short', '+1 415 555 010'],
    ['an empty string', ''],
    ['a lone +', '+'],
  ])('refuses %s (%j), naming phoneNumber', (_what, raw) => {
    const error = errorOf(raw);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(DomainErrorCode.InvalidPhoneNumber);
    expect(error.field).toBe('phoneNumber');
  });

  it('refuses a value that is not a string', () => {
    expect(errorOf(4155550100 as unknown as string).field).toBe('phoneNumber');
  });
});
