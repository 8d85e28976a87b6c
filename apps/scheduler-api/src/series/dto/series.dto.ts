import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_SERIES_COUNT } from '#domain';
import { IsCallingWindow, IsE164Phone, IsIanaTimezone, IsInstantWithOffset } from '../../calls/dto/validators.js';
import { IsRrule } from './rrule.validator.js';

export class CreateSeriesDto {
  @ApiProperty({ example: '+14155550100', description: 'International format; stored as E.164' })
  @IsDefined({ message: '$property is required' })
  @IsE164Phone()
  @MaxLength(32)
  @IsString()
  phoneNumber!: string;

  @ApiProperty({ example: 'America/New_York', description: 'IANA zone the rule is evaluated in: 09:00 stays 09:00 there across DST' })
  @IsDefined({ message: '$property is required' })
  @IsIanaTimezone()
  @MaxLength(64)
  @IsString()
  timezone!: string;

  @ApiProperty({
    example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
    description: 'RFC 5545 RRULE without DTSTART, COUNT or UNTIL; HOURLY or less often. BYHOUR without BYMINUTE means on the hour.',
  })
  @IsDefined({ message: '$property is required' })
  @IsRrule()
  @MaxLength(500)
  @IsString()
  rrule!: string;

  @ApiPropertyOptional({ example: '2027-03-10T12:00:00Z', description: 'the first possible occurrence (the rule’s DTSTART); omitted = the next whole minute' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  startsAt?: string;

  @ApiPropertyOptional({ example: '2027-12-31T23:59:59Z', description: 'no occurrence after this instant' })
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  until?: string;

  @ApiPropertyOptional({ example: 12, description: `how many occurrences in all (1–${MAX_SERIES_COUNT})` })
  @IsOptional()
  @Max(MAX_SERIES_COUNT)
  @Min(1)
  @IsInt()
  count?: number;

  @ApiPropertyOptional({
    example: 'Mon-Fri 09:00-17:00',
    description: 'when the calls may ring, in the series\' zone (default CALLING_WINDOW; "any" = any time)',
  })
  @IsOptional()
  @IsCallingWindow()
  @MaxLength(200)
  @IsString()
  callingWindow?: string;
}

/** Any field of a series; `until`, `count` and `callingWindow` may be null to clear them. Applies from the next occurrence not yet created. */
export class EditSeriesDto extends PartialType(OmitType(CreateSeriesDto, ['until', 'count', 'callingWindow'] as const)) {
  @ApiPropertyOptional({ type: String, example: '2027-12-31T23:59:59Z', nullable: true, description: 'null clears it' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsInstantWithOffset()
  @MaxLength(40)
  @IsString()
  until?: string | null;

  @ApiPropertyOptional({ type: Number, example: 12, nullable: true, description: 'null clears it' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @Max(MAX_SERIES_COUNT)
  @Min(1)
  @IsInt()
  count?: number | null;

  @ApiPropertyOptional({ type: String, example: 'Mon-Fri 09:00-17:00', nullable: true, description: 'null clears it' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsCallingWindow()
  @MaxLength(200)
  @IsString()
  callingWindow?: string | null;
}

export class SeriesReasonDto {
  @ApiPropertyOptional({ example: 'patient is in hospital this month' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class OccurrencesQuery {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100, description: 'how many upcoming occurrences, and how many past ones' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
