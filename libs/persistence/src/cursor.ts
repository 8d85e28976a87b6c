import { InvalidCursorError } from '#domain';

// Keyset cursors of the call lists: the last row's sort key, opaque to clients (base64url JSON).

// History cursors name their order: one from the former scheduled-time order would otherwise be
// read as a change time and silently skip rows; tagged, it is refused as invalid (400).
export const HISTORY_CURSOR_TAG = 'changed';

/** The cursor after a row with this sort key; `tag` names the order it belongs to. */
export function encodeCursor(key: [string, string], tag?: string): string {
  return Buffer.from(JSON.stringify(tag === undefined ? key : [tag, ...key])).toString('base64url');
}

/** Returns null for a missing cursor; throws InvalidCursorError for a malformed one or one of another order (`tag`). */
export function decodeCursor(cursor: string | undefined, tag?: string): [string, string] | null {
  if (!cursor) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const key = tag === undefined ? parts : Array.isArray(parts) && parts[0] === tag ? parts.slice(1) : null;
    if (Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string')) return key as [string, string];
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

// A domain error (INVALID_CURSOR, field `cursor`): the API maps it like every other one.
export { InvalidCursorError };
