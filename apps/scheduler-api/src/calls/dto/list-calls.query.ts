import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CALL_STATUSES, STATUS_GROUPS } from '#domain';
import { IsE164Phone, IsHistoryStatusFilter, IsInstantWithOffset, IsPhoneSearch } from './validators.js';

/** An optional whole number in a query string (text, converted first), at least `minimum`, at most `maximum`. */
function OptionalInteger(doc: { default: number; minimum: number; maximum?: number; description?: string }) {
  return applyDecorators(
    // Listed bottom first, the order stacked decorators run in: the error messages keep their order.
    ...(doc.maximum === undefined ? [] : [Max(doc.maximum)]),
    Min(doc.minimum),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional(doc),
  );
}

export class PageQuery {
  @OptionalInteger({ default: 50, minimum: 1, maximum: 500 })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** `?phone=`: a whole or partial number, international or national format. */
function PhoneSearch() {
  return applyDecorators(
    ApiPropertyOptional({
      example: '020 7946',
      description:
        'calls whose number contains these digits: a partial number, international (+44 20 7946) or national (020 7946 0958, the trunk 0 is ' +
        'matched with and without); at least 3 digits',
    }),
    IsOptional(),
    IsPhoneSearch(),
    MaxLength(40),
    IsString(),
  );
}

export class PendingQuery extends PageQuery {
  @PhoneSearch()
  phone?: string;
}

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'completed,failed',
    description:
      `one or more statuses, comma-separated (${CALL_STATUSES.filter((s) => s !== 'pending').join(', ')}), or groups: ` +
      Object.entries(STATUS_GROUPS)
        .map(([name, statuses]) => `${name} = ${statuses.join(', ')}`)
        .join('; '),
  })
  @IsOptional()
  @IsHistoryStatusFilter()
  @MaxLength(300)
  @IsString()
  status?: string;

  @PhoneSearch()
  phone?: string;

  @ApiPropertyOptional({ example: '+14155550100', description: 'exactly this number (E.164 or international format)' })
  @IsOptional()
  @IsString()
  @IsE164Phone()
  phoneNumber?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: every matching call from the cursor on (at most `limit` if given) as a streamed CSV file; the same as Accept: text/csv',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class CallQuery {
  @ApiPropertyOptional({ example: '2026-12-01T09:31:00Z', description: 'the call as it was at this instant (audit)' })
  @IsOptional()
  @IsString()
  @IsInstantWithOffset()
  asOf?: string;
}

export class EventsQuery {
  @OptionalInteger({ default: 0, minimum: 0, description: 'return events after this global position' })
  after?: number;

  @OptionalInteger({ default: 100, minimum: 1, maximum: 1000 })
  limit?: number;
}
