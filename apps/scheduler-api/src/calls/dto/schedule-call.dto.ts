import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsE164Phone, IsIanaTimezone, IsInstantWithOffset } from './validators.js';

export class ScheduleCallDto {
  @ApiProperty({ example: '+14155550100', description: 'International format; stored as E.164' })
  @IsDefined({ message: '$property is required' })
  // class-validator checks bottom-up: type first, then length, then the phone rules.
  @IsE164Phone()
  @MaxLength(32)
  @IsString()
  phoneNumber!: string;

  @ApiPropertyOptional({ example: '2026-12-01T09:30:00+01:00', description: 'ISO-8601 with offset; omitted = now' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  scheduledAt?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: "IANA zone of the person's local time, for display" })
  @IsOptional()
  @IsIanaTimezone()
  @MaxLength(64)
  @IsString()
  timezone?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T10:00:00+01:00',
    description: 'ISO-8601 with offset: place the call by then or record it missed; default MISFIRE_GRACE after its time',
  })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  deadline?: string;
}

export class RescheduleCallDto {
  @ApiProperty({ example: '2026-12-01T10:00:00Z', description: 'ISO-8601 with offset' })
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  scheduledAt!: string;

  @ApiPropertyOptional({
    example: '2026-12-01T10:00:00+01:00',
    description: 'ISO-8601 with offset: place the call by then or record it missed; default MISFIRE_GRACE after its time',
  })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  deadline?: string;
}

export class RetryCallDto {
  @ApiPropertyOptional({ example: '2026-12-02T09:00:00+01:00', description: 'ISO-8601 with offset; omitted = now' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  at?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T10:00:00+01:00',
    description: 'ISO-8601 with offset: place the call by then or record it missed; default MISFIRE_GRACE after its time',
  })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
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

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'only calls that ended at or after this instant (ISO-8601 with offset)' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  since?: string;

  @ApiPropertyOptional({ example: '2026-12-02T00:00:00Z', description: 'only calls that ended before this instant' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  until?: string;
}

export class CancelCallDto {
  @ApiPropertyOptional({ example: 'customer asked to be called another day' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
