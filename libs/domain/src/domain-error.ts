export enum DomainErrorCode {
  CallNotFound = 'CALL_NOT_FOUND',
  SeriesNotFound = 'SERIES_NOT_FOUND',
  // A series' rrule, count or until that gives no usable recurrence.
  InvalidRecurrence = 'INVALID_RECURRENCE',
  IllegalTransition = 'ILLEGAL_TRANSITION',
  InvalidPhoneNumber = 'INVALID_PHONE_NUMBER',
  InvalidScheduledAt = 'INVALID_SCHEDULED_AT',
  InvalidTimezone = 'INVALID_TIMEZONE',
  InvalidCallingWindow = 'INVALID_CALLING_WINDOW',
  // An operator asked to dial now while the callee's calling window is closed.
  OutsideCallingWindow = 'OUTSIDE_CALLING_WINDOW',
  // A list filter (?status=, ?phone=) the API does not understand.
  InvalidFilter = 'INVALID_FILTER',
  // The instant an audit read asks about (`asOf`), not a time the call is scheduled for.
  InvalidAsOf = 'INVALID_AS_OF',
  // A page cursor this API did not hand out (or one of another listing).
  InvalidCursor = 'INVALID_CURSOR',
  Concurrency = 'CONCURRENCY',
  IdempotencyMismatch = 'IDEMPOTENCY_MISMATCH',
  // A bulk import's file: an unknown or missing column, a malformed row or reference.
  InvalidImport = 'INVALID_IMPORT',
}

/**
 * A rule of the domain was broken. `field` names the input at fault, when there is one;
 * `otherFields` the inputs that are at fault together with it (an offset that contradicts a zone).
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    readonly otherFields: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class CallNotFoundError extends DomainError {
  constructor(readonly callId: string) {
    super(DomainErrorCode.CallNotFound, `call ${callId} not found`);
  }
}

export class SeriesNotFoundError extends DomainError {
  constructor(readonly seriesId: string) {
    super(DomainErrorCode.SeriesNotFound, `series ${seriesId} not found`);
  }
}

export class IllegalTransitionError extends DomainError {
  constructor(
    readonly command: string,
    readonly status: string,
  ) {
    super(DomainErrorCode.IllegalTransition, `cannot ${command} a call that is ${status}`);
  }
}

/** Another writer appended to the stream first (UNIQUE(stream_id, version) fired). */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(DomainErrorCode.Concurrency, `stream ${streamId} moved past version ${expectedVersion}`);
  }
}

/** An Idempotency-Key used again with a different request: the first request's call is not this one. */
export class IdempotencyMismatchError extends DomainError {
  constructor() {
    // No `field`: the key is well formed; it is the request that differs from the first one.
    super(DomainErrorCode.IdempotencyMismatch, 'Idempotency-Key was already used with a different request body');
  }
}

/** A page cursor that is malformed or belongs to another listing. */
export class InvalidCursorError extends DomainError {
  constructor() {
    super(DomainErrorCode.InvalidCursor, 'cursor is not a cursor this API returned', 'cursor');
  }
}
