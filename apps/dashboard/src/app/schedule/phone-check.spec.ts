import { checkPhone } from './phone-check';

describe('checkPhone', () => {
  it('accepts international numbers and gives their E.164 form', () => {
    expect(checkPhone('+1 415-555-0100')).toEqual({ valid: true, e164: '+14155550100', country: 'US' });
    expect(checkPhone('+44 20 7946 0958')).toEqual({ valid: true, e164: '+442079460958', country: 'GB' });
  });

  it('asks for the + and country code', () => {
    const check = checkPhone('4155550100');
    expect(check.valid).toBe(false);
    expect(!check.valid && check.error).toMatch(/Start with \+/);
  });

  it('rejects numbers that are too short or impossible', () => {
    expect(checkPhone('+1415').valid).toBe(false);
    expect(checkPhone('+999 1234').valid).toBe(false);
    expect(checkPhone('').valid).toBe(false);
  });
});
