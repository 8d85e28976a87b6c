import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CALL_STATUSES, type CallStatus } from '#domain';
import { IsE164Phone, IsInstantWithOffset } from './validators.js';

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

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CALL_STATUSES })
  @IsOptional()
  @IsIn(CALL_STATUSES.filter((s) => s !== 'pending'))
  status?: CallStatus;

  @ApiPropertyOptional({ example: '+14155550100' })
  @IsOptional()
  @IsString()
  @IsE164Phone()
  phoneNumber?: string;
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
