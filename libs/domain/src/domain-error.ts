export enum DomainErrorCode {
  CallNotFound = 'CALL_NOT_FOUND',
  IllegalTransition = 'ILLEGAL_TRANSITION',
  InvalidPhoneNumber = 'INVALID_PHONE_NUMBER',
  InvalidScheduledAt = 'INVALID_SCHEDULED_AT',
  InvalidTimezone = 'INVALID_TIMEZONE',
  Concurrency = 'CONCURRENCY',
  IdempotencyMismatch = 'IDEMPOTENCY_MISMATCH',
}

/** A rule of the domain was broken. `field` names the input at fault, when there is one. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
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
