import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_SERIES_COUNT } from '#domain';
import { CallingWindowField, CountField, InstantField, PhoneNumberField, ReasonField, StringField, TimezoneField } from '../../calls/dto/fields.js';
import { IsRrule } from './rrule.validator.js';

export class CreateSeriesDto {
  @PhoneNumberField()
  phoneNumber!: string;

  @TimezoneField('required', { example: 'America/New_York', description: 'IANA zone the rule is evaluated in: 09:00 stays 09:00 there across DST' })
  timezone!: string;

  @StringField(
    'required',
    {
      example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
      description: 'RFC 5545 RRULE without DTSTART, COUNT or UNTIL; HOURLY or less often. BYHOUR without BYMINUTE means on the hour.',
    },
    500,
    IsRrule(),
  )
  rrule!: string;

  @InstantField('optional', {
    example: '2027-03-10T12:00:00Z',
    description: 'the first possible occurrence (the rule’s DTSTART); omitted = the next whole minute',
  })
  startsAt?: string;

  @InstantField('optional', { example: '2027-12-31T23:59:59Z', description: 'no occurrence after this instant' })
  until?: string;

  @CountField('optional', { example: 12, description: `how many occurrences in all (1–${MAX_SERIES_COUNT})` }, MAX_SERIES_COUNT)
  count?: number;

  @CallingWindowField('optional', {
    example: 'Mon-Fri 09:00-17:00',
    description: 'when the calls may ring, in the series\' zone (default CALLING_WINDOW; "any" = any time)',
  })
  callingWindow?: string;
}

/** Any field of a series; `until`, `count` and `callingWindow` may be null to clear them. Applies from the next occurrence not yet created. */
export class EditSeriesDto extends PartialType(OmitType(CreateSeriesDto, ['until', 'count', 'callingWindow'] as const)) {
  @InstantField('nullable', { type: String, example: '2027-12-31T23:59:59Z', description: 'null clears it' })
  until?: string | null;

  @CountField('nullable', { type: Number, example: 12, description: 'null clears it' }, MAX_SERIES_COUNT)
  count?: number | null;

  @CallingWindowField('nullable', { type: String, example: 'Mon-Fri 09:00-17:00', description: 'null clears it' })
  callingWindow?: string | null;
}

export class SeriesReasonDto {
  @ReasonField('patient is in hospital this month')
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
