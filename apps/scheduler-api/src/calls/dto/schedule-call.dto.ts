import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn } from 'class-validator';
import { CallingWindowField, OptionalInstant, OptionalZonedTime, PhoneNumberField, ReasonField, StringField, TimezoneField } from './fields.js';
import { IsZonedDateTime } from './validators.js';

const ZONED =
  "ISO-8601 with an offset (which must be the timezone's own offset then), or a local date-time without offset read in `timezone` " +
  '(a time the clock skips moves forward by the gap; a repeated one takes the earlier)';
const DEADLINE = `place the call by then or record it missed; default MISFIRE_GRACE after the first opening of its window at or after its time. ${ZONED}`;

export class ScheduleCallDto {
  @PhoneNumberField()
  phoneNumber!: string;

  @OptionalZonedTime('2026-12-01T09:30', `when to call; omitted = now. ${ZONED}`)
  scheduledAt?: string;

  @TimezoneField('optional', {
    example: 'Europe/Paris',
    description:
      "the callee's IANA time zone: local times are read in it, the calling window is evaluated in it, the dashboard shows the callee's time. " +
      'Omitted = none (times must carry an offset; a window is then read in UTC)',
  })
  timezone?: string;

  @OptionalZonedTime('2026-12-01T10:00', DEADLINE)
  deadline?: string;

  @CallingWindowField('optional', {
    example: 'Mon-Sat 08:00-21:00',
    description:
      'when the callee may be rung, in their timezone: comma-separated `[days] HH:MM-HH:MM` ranges, e.g. "09:00-17:00" (every day), ' +
      '"Mon-Fri 09:00-12:00, Sat 10:00-13:00"; "any" = any time. Omitted = CALLING_WINDOW. A call due outside it waits for the next opening',
  })
  callingWindow?: string;
}

export class RescheduleCallDto {
  @StringField('required', { example: '2026-12-01T10:00', description: ZONED }, 40, IsZonedDateTime())
  scheduledAt!: string;

  @OptionalZonedTime('2026-12-01T10:30', DEADLINE)
  deadline?: string;

  @TimezoneField('optional', {
    example: 'America/New_York',
    nullable: true,
    description: "the callee's new IANA time zone (scheduledAt and deadline are then read in it); null = none; omitted = unchanged",
  })
  timezone?: string | null;

  @CallingWindowField('optional', {
    example: 'Mon-Fri 09:00-18:00',
    description: 'a new calling window, in the same form as when scheduling ("any" = any time); omitted = unchanged',
  })
  callingWindow?: string;
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
  @ReasonField('customer asked to be called another day')
  reason?: string;
}
