import { ApiProperty } from '@nestjs/swagger';
import { CALL_STATUSES, type CallStatus, type CallView, type Page, type StoredEventView } from '#domain';

// Response shapes for the OpenAPI document; they implement the shared domain types.
export class CallViewDto implements CallView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '+14155550100' }) phoneNumber!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Paris', description: "the callee's IANA time zone (null: none given)" }) timezone!:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Mon-Sat 08:00-21:00', description: 'when the callee may be rung, in their zone; null = any time' })
  callingWindow!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    example: '2026-12-01T07:00:00.000Z',
    description: 'set while the call waits for its calling window to open (CallDeferredToWindow): that opening',
  })
  windowOpensAt!: string | null;
  @ApiProperty({ enum: CALL_STATUSES }) status!: CallStatus;
  @ApiProperty({ description: 'dispatch attempts started' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) providerCallId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the Call API's own word for the status" }) providerStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'dial time minus the time it was wanted (scheduledAt, or an operator\'s "now"), ms' }) latenessMs!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: "call duration in seconds, once ended (the provider's, or connected → ended)" }) duration!:
    number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when the provider reported it connected' }) connectedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when the dispatcher acts next' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'unplaced by then, the call is recorded missed' })
  deadline!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) dispatchedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) endedAt!: string | null;
  @ApiProperty({ description: 'stream version (number of events)' }) version!: number;
}

export class CallPageDto implements Page<CallViewDto> {
  @ApiProperty({ type: [CallViewDto] }) items!: CallViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as ?cursor= for the next page' }) nextCursor!: string | null;
}

export class StoredEventDto implements StoredEventView {
  @ApiProperty() position!: number;
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'CallDispatched' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'actor, requestId, correlationId, causationId' })
  metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty() schemaVersion!: number;
}

export class ErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ type: String, example: 'phoneNumber must be a valid phone number in international format, e.g. +14155550100' }) message!: string;
  @ApiProperty({
    required: false,
    type: String,
    example: 'INVALID_PHONE_NUMBER',
    description:
      'the broken rule, for programs: CALL_NOT_FOUND, ILLEGAL_TRANSITION, CONCURRENCY, IDEMPOTENCY_MISMATCH, INVALID_PHONE_NUMBER, ' +
      'INVALID_SCHEDULED_AT, INVALID_TIMEZONE, INVALID_CALLING_WINDOW, OUTSIDE_CALLING_WINDOW, INVALID_FILTER, INVALID_AS_OF, INVALID_CURSOR, INVALID_IMPORT, ' +
      'DATABASE_UNAVAILABLE (more may be added)',
  })
  code?: string;
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'validation messages by field',
  })
  fields?: Record<string, string[]>;
}

export class LatenessSampleDto {
  @ApiProperty({ format: 'uuid' }) callId!: string;
  @ApiProperty({ format: 'date-time' }) dispatchedAt!: string;
  @ApiProperty({ example: 12, description: 'dial time minus the time it was wanted, ms' }) latenessMs!: number;
}

export class StatsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) counts!: Partial<Record<CallStatus, number>>;
  @ApiProperty({ type: () => [LatenessSampleDto], description: 'the most recent dials, latest first' }) recentLateness!: LatenessSampleDto[];
}
