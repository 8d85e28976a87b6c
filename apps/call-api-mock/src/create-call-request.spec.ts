import { parseCreateCall } from './create-call-request.js';

const JSON_TYPE = 'application/json';
const parse = (body: string, type: string | undefined = JSON_TYPE) => parseCreateCall(type, Buffer.from(body));

describe('parseCreateCall (the Flask handler checks)', () => {
  it('accepts a phone number of 10 or more characters, as given', () => {
    expect(parse('{"phone_number": "+14155550100", "extra": 1}')).toEqual({ kind: 'ok', phoneNumber: '+14155550100' });
    expect(parse('{"phone_number": "1234567890"}')).toEqual({ kind: 'ok', phoneNumber: '1234567890' });
  });

  it('answers "phone_number is required" when the key is missing', () => {
    for (const body of ['{}', '{"phone": "+14155550100"}', 'null', '[]', '"x"', '["a"]']) {
      expect(parse(body)).toEqual({ kind: 'json-error', status: 400, error: 'phone_number is required' });
    }
  });

  it('answers "Invalid phone number" when empty, null or shorter than 10', () => {
    for (const value of ['""', 'null', '"123456789"', 'false', '0', '[]', '["a","b"]']) {
      expect(parse(`{"phone_number": ${value}}`)).toEqual({ kind: 'json-error', status: 400, error: 'Invalid phone number' });
    }
  });

  it('counts characters, not UTF-16 units, like Python len()', () => {
    expect(parse('{"phone_number": "😀😀😀😀😀"}')).toMatchObject({ error: 'Invalid phone number' });
  });

  it('answers a 500 page for a non-string phone number', () => {
    expect(parse('{"phone_number": 14155550100}')).toEqual({ kind: 'html-error', status: 500 });
    expect(parse('{"phone_number": true}')).toEqual({ kind: 'html-error', status: 500 });
    expect(parse('5')).toEqual({ kind: 'html-error', status: 500 });
  });

  it('answers a 400 page for a body that is not JSON', () => {
    expect(parse('{"phone_number": ')).toEqual({ kind: 'html-error', status: 400 });
    expect(parse('')).toEqual({ kind: 'html-error', status: 400 });
    expect(parseCreateCall(JSON_TYPE, Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ kind: 'html-error', status: 400 });
  });

  it('answers a 415 page unless the content type is JSON', () => {
    expect(parse('{"phone_number": "+14155550100"}', 'text/plain')).toMatchObject({ kind: 'html-error', status: 415 });
    expect(parseCreateCall(undefined, Buffer.from('{"phone_number": "+14155550100"}'))).toMatchObject({ kind: 'html-error', status: 415 });
    expect(parse('{"phone_number": "+14155550100"}', 'application/json; charset=utf-8')).toMatchObject({ kind: 'ok' });
    expect(parse('{"phone_number": "+14155550100"}', 'application/vnd.call+json')).toMatchObject({ kind: 'ok' });
  });
});
