/**
 * The database could not be reached (connection refused, dropped, server restarting, pool timed
 * out). Unlike a query error it says nothing about the data: the same work may succeed shortly,
 * so callers retry or answer 503 rather than treating it as a bug.
 */
export class DatabaseUnavailableError extends Error {
  constructor(readonly cause: unknown) {
    super(`the database is unreachable: ${(cause as Partial<Error> | null | undefined)?.message ?? String(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Another request stored a call under this Idempotency-Key first (they raced past the look-up).
 * The key's unique index makes the loser wait for the winner's commit (SQLite: one writer at a time),
 * so by the time this is thrown the winner's call is committed and readable.
 */
export class IdempotencyKeyTakenError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was taken by a concurrent request`);
    this.name = 'IdempotencyKeyTakenError';
  }
}
