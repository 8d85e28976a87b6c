import { decodeCursor, encodeCursor, HISTORY_CURSOR_TAG, InvalidCursorError } from './cursor.js';

describe('cursor codec', () => {
  it('round-trips a sort key, untagged and tagged', () => {
    const key: [string, string] = ['2026-03-01T09:00:00.000Z', 'call-1'];
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(encodeCursor(key, HISTORY_CURSOR_TAG), HISTORY_CURSOR_TAG)).toEqual(key);
  });

  it('is opaque URL-safe text', () => {
    expect(encodeCursor(['a/b+c', 'é'], HISTORY_CURSOR_TAG)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('reads a missing cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor('', HISTORY_CURSOR_TAG)).toBeNull();
  });

  it('refuses a cursor of the other order, both ways', () => {
    const key: [string, string] = ['2026-03-01T09:00:00.000Z', 'call-1'];
    expect(() => decodeCursor(encodeCursor(key), HISTORY_CURSOR_TAG)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor(key, HISTORY_CURSOR_TAG))).toThrow(InvalidCursorError);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['one part', Buffer.from('["x"]').toString('base64url')],
    ['three parts', Buffer.from('["x","y","z"]').toString('base64url')],
    ['a number in the key', Buffer.from('["x",1]').toString('base64url')],
  ])('refuses %s with InvalidCursorError', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
