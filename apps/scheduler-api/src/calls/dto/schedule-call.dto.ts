import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';
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
}

export class RescheduleCallDto {
  @ApiProperty({ example: '2026-12-01T10:00:00Z', description: 'ISO-8601 with offset' })
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  scheduledAt!: string;
}

export class CancelCallDto {
  @ApiPropertyOptional({ example: 'customer asked to be called another day' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
