import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { IsCallingWindow, IsE164Phone, IsIanaTimezone, IsInstantWithOffset, IsZonedDateTime } from './validators.js';

/** An optional instant field: ISO-8601 with an offset, checked by the domain's own parser. */
function OptionalInstant(example: string, description: string) {
  // class-validator checks bottom-up: type first, then length, then the instant rules.
  return applyDecorators(ApiPropertyOptional({ example, description }), IsOptional(), IsInstantWithOffset(), MaxLength(40), IsString());
}

/** A time for the callee: an instant with an offset, or a local date-time in the call's timezone. */
function OptionalZonedTime(example: string, description: string) {
  return applyDecorators(ApiPropertyOptional({ example, description }), IsOptional(), IsZonedDateTime(), MaxLength(40), IsString());
}

const ZONED =
  "ISO-8601 with an offset (which must be the timezone's own offset then), or a local date-time without offset read in `timezone` " +
  '(a time the clock skips moves forward by the gap; a repeated one takes the earlier)';
const DEADLINE = `place the call by then or record it missed; default MISFIRE_GRACE after the first opening of its window at or after its time. ${ZONED}`;

export class ScheduleCallDto {
  @ApiProperty({ example: '+14155550100', description: 'International format; stored as E.164' })
  @IsDefined({ message: '$property is required' })
  // class-validator checks bottom-up: type first, then length, then the phone rules.
  @IsE164Phone()
  @MaxLength(32)
  @IsString()
  phoneNumber!: string;

  @OptionalZonedTime('2026-12-01T09:30', `when to call; omitted = now. ${ZONED}`)
  scheduledAt?: string;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description:
      "the callee's IANA time zone: local times are read in it, the calling window is evaluated in it, the dashboard shows the callee's time. " +
      'Omitted = none (times must carry an offset; a window is then read in UTC)',
  })
  @IsOptional()
  @IsIanaTimezone()
  @MaxLength(64)
  @IsString()
  timezone?: string;

  @OptionalZonedTime('2026-12-01T10:00', DEADLINE)
  deadline?: string;

  @ApiPropertyOptional({
    example: 'Mon-Sat 08:00-21:00',
    description:
      'when the callee may be rung, in their timezone: comma-separated `[days] HH:MM-HH:MM` ranges, e.g. "09:00-17:00" (every day), ' +
      '"Mon-Fri 09:00-12:00, Sat 10:00-13:00"; "any" = any time. Omitted = CALLING_WINDOW. A call due outside it waits for the next opening',
  })
  @IsOptional()
  @IsCallingWindow()
  @MaxLength(200)
  @IsString()
  callingWindow?: string;
}

export class RescheduleCallDto {
  @ApiProperty({ example: '2026-12-01T10:00', description: ZONED })
  @IsZonedDateTime()
  @MaxLength(40)
  @IsString()
  scheduledAt!: string;

  @OptionalZonedTime('2026-12-01T10:30', DEADLINE)
  deadline?: string;
}

export class RetryCallDto {
  @OptionalZonedTime('2026-12-02T09:00:00+01:00', `omitted = now. ${ZONED}`)
  at?: string;

  @OptionalZonedTime('2026-12-01T10:00:00+01:00', DEADLINE)
  deadline?: string;
}

export const RETRYABLE_STATUSES = ['failed', 'missed', 'untracked'] as const;

export class BulkRetryDto extends RetryCallDto {
  @ApiProperty({ example: ['failed', 'missed'], description: 'which calls: failed, missed and/or untracked (an array, or one comma-separated string)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsDefined({ message: '$property is required' })
  @IsIn(RETRYABLE_STATUSES, { each: true, message: `$property must be one or more of ${RETRYABLE_STATUSES.join(', ')}` })
  @ArrayMaxSize(3)
  @ArrayMinSize(1)
  @IsArray()
  status!: (typeof RETRYABLE_STATUSES)[number][];

  @OptionalInstant('2026-12-01T00:00:00Z', 'only calls that ended at or after this instant (ISO-8601 with offset)')
  since?: string;

  @OptionalInstant('2026-12-02T00:00:00Z', 'only calls that ended before this instant')
  until?: string;
}

export class CancelCallDto {
  @ApiPropertyOptional({ example: 'customer asked to be called another day' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
