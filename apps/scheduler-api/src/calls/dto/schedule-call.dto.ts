import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { IsE164Phone, IsIanaTimezone, IsInstantWithOffset } from './validators.js';

/** An optional instant field: ISO-8601 with an offset, checked by the domain's own parser. */
function OptionalInstant(example: string, description: string) {
  // class-validator checks bottom-up: type first, then length, then the instant rules.
  return applyDecorators(ApiPropertyOptional({ example, description }), IsOptional(), IsInstantWithOffset(), MaxLength(40), IsString());
}

const DEADLINE = 'ISO-8601 with offset: place the call by then or record it missed; default MISFIRE_GRACE after its time';

export class ScheduleCallDto {
  @ApiProperty({ example: '+14155550100', description: 'International format; stored as E.164' })
  @IsDefined({ message: '$property is required' })
  // class-validator checks bottom-up: type first, then length, then the phone rules.
  @IsE164Phone()
  @MaxLength(32)
  @IsString()
  phoneNumber!: string;

  @OptionalInstant('2026-12-01T09:30:00+01:00', 'ISO-8601 with offset; omitted = now')
  scheduledAt?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: "IANA zone of the person's local time, for display" })
  @IsOptional()
  @IsIanaTimezone()
  @MaxLength(64)
  @IsString()
  timezone?: string;

  @OptionalInstant('2026-12-01T10:00:00+01:00', DEADLINE)
  deadline?: string;
}

export class RescheduleCallDto {
  @ApiProperty({ example: '2026-12-01T10:00:00Z', description: 'ISO-8601 with offset' })
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  scheduledAt!: string;

  @OptionalInstant('2026-12-01T10:00:00+01:00', DEADLINE)
  deadline?: string;
}

export class RetryCallDto {
  @OptionalInstant('2026-12-02T09:00:00+01:00', 'ISO-8601 with offset; omitted = now')
  at?: string;

  @OptionalInstant('2026-12-01T10:00:00+01:00', DEADLINE)
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
