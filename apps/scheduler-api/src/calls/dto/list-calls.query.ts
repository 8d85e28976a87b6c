import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CALL_STATUSES, type CallStatus } from '#domain';
import { IsE164Phone, IsInstantWithOffset } from './validators.js';

export class PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
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
  @ApiPropertyOptional({ default: 0, description: 'return events after this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
