import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { EventMetadata } from '#persistence';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRoute } from '../common/api-route.decorator.js';
import { RequestMeta } from '../common/request-metadata.js';
import { CallIdPipe } from './call-id.pipe.js';
import { CallsService } from './calls.service.js';
import { HISTORY_CSV_COLUMNS, wantsCsv } from './history-csv.js';
import { CallPageDto, CallViewDto, StatsDto, StoredEventDto } from './dto/call-view.dto.js';
import { CallQuery, HistoryQuery, PendingQuery } from './dto/list-calls.query.js';
import { BulkRetryDto, CancelCallDto, RescheduleCallDto, RetryCallDto, ScheduleCallDto } from './dto/schedule-call.dto.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

const callId = new CallIdPipe();

const HISTORY_CSV_EXAMPLE = [
  HISTORY_CSV_COLUMNS.join(','),
  '0b6f3c1e-9a7d-4f2b-8c1e-2d3f4a5b6c7d,+14155550100,completed,2026-12-01T08:30:00.000Z,Europe/Paris,Mon-Sat 08:00-21:00,1,42,120,p-123,completed,,' +
    '2026-12-01T08:45:00.000Z,2026-12-01T08:29:00.000Z,2026-12-01T08:30:00.120Z,2026-12-01T08:30:20.000Z,2026-12-01T08:31:02.000Z,2026-12-01T08:31:02.000Z',
].join('\n');

@ApiTags('calls')
@ApiHeader({
  name: 'X-Actor',
  required: false,
  description: "on whose behalf the key holder acts: recorded as onBehalfOf in event metadata (the actor is always the key's name)",
})
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post()
  @Roles('operator')
  @ApiRoute({
    operationId: 'scheduleCall',
    summary: 'Schedule a call (scheduledAt omitted = now)',
    answer: { status: 201, type: CallViewDto },
    errors: [400, 413, 422],
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeat with the same key returns the first result' })
  schedule(@Body() dto: ScheduleCallDto, @IdempotencyKey() key: string | undefined, @RequestMeta() meta: EventMetadata) {
    return this.calls.schedule(dto, key, meta);
  }

  @Get('pending')
  @ApiRoute({ operationId: 'listPendingCalls', summary: 'Pending calls, soonest first', answer: { type: CallPageDto }, errors: [400] })
  pending(@Query() query: PendingQuery) {
    return this.calls.pending(query);
  }

  @Get('history')
  @ApiRoute({
    operationId: 'listCallHistory',
    summary: 'Every call that is not pending, latest change first (updatedAt, then id, descending)',
    description:
      'Filters: ?status=completed,failed (or a group: in-progress, ended, unsuccessful), ?phone= a partial or national-format number. ' +
      'With `Accept: text/csv` or `?format=csv`: every matching call from the cursor on (at most `limit`), as a streamed CSV file.',
    answer: {
      description: 'a page of calls (JSON), or every matching call as CSV',
      content: {
        'application/json': { schema: { $ref: getSchemaPath(CallPageDto) } },
        'text/csv': { schema: { type: 'string', example: HISTORY_CSV_EXAMPLE } },
      },
    },
    errors: [400],
  })
  @ApiExtraModels(CallPageDto)
  history(@Query() query: HistoryQuery, @Headers('accept') accept: string | undefined) {
    return wantsCsv(query.format, accept) ? this.calls.historyCsv(query) : this.calls.history(query);
  }

  @Get('stats')
  @ApiRoute({ operationId: 'getStats', summary: 'Counts per status and recent dispatch lateness (dashboard overview)', answer: { type: StatsDto } })
  stats() {
    return this.calls.stats();
  }

  @Get(':id')
  @ApiRoute({ operationId: 'getCall', summary: 'One call; with ?asOf= the call as it was at that instant', answer: { type: CallViewDto }, errors: [400, 404] })
  get(@Param('id', callId) id: string, @Query() query: CallQuery) {
    return this.calls.get(id, query);
  }

  @Get(':id/events')
  @ApiRoute({ operationId: 'getCallEvents', summary: "The call's event stream, oldest first (audit trail)", answer: { type: [StoredEventDto] }, errors: [404] })
  events(@Param('id', callId) id: string) {
    return this.calls.events(id);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiRoute({ operationId: 'rescheduleCall', summary: 'Reschedule a pending call', answer: { type: CallViewDto }, errors: [400, 404, 409] })
  reschedule(@Param('id', callId) id: string, @Body() dto: RescheduleCallDto, @RequestMeta() meta: EventMetadata) {
    return this.calls.reschedule(id, dto, meta);
  }

  @Post('retry')
  @Roles('operator')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'retryCalls',
    summary: 'Retry every failed, missed or untracked call that ended in a time range; answers how many',
    answer: { schema: { type: 'object', required: ['count'], properties: { count: { type: 'integer', example: 12 } } } },
    errors: [400],
  })
  retryAll(@Body() dto: BulkRetryDto, @RequestMeta() meta: EventMetadata) {
    return this.calls.retryAll(dto, meta);
  }

  @Post(':id/retry')
  @Roles('operator')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'retryCall',
    summary: 'A new attempt for a failed, missed or untracked call: now, or at a given time',
    answer: { type: CallViewDto },
    errors: [400, 404, 409],
  })
  // The body may be left out (a new attempt now), as the README's curl and the dashboard do.
  @ApiBody({ type: RetryCallDto, required: false })
  retry(@Param('id', callId) id: string, @Body() dto: RetryCallDto, @RequestMeta() meta: EventMetadata) {
    // The parameter keeps the DTO's type (a `| undefined` would make Nest's metadata Object, and the
    // ValidationPipe would skip the DTO); without a body it is undefined all the same.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above: Nest's @Body() metadata
    return this.calls.retry(id, dto ?? {}, meta);
  }

  @Post(':id/dispatch')
  @Roles('operator')
  @HttpCode(202)
  @ApiRoute({
    operationId: 'dispatchCall',
    summary: 'Dial now: a pending call, or an outcome-unknown call an operator decided to dial anyway',
    answer: { status: 202, type: CallViewDto },
    errors: [404, 409],
  })
  dispatch(@Param('id', callId) id: string, @RequestMeta() meta: EventMetadata) {
    return this.calls.dispatchNow(id, meta);
  }

  @Delete(':id')
  @Roles('operator')
  @ApiRoute({ operationId: 'cancelCall', summary: 'Cancel a pending (or outcome-unknown) call', answer: { type: CallViewDto }, errors: [400, 404, 409] })
  // DELETE usually has no body: the reason is optional, and so is the body.
  @ApiBody({ type: CancelCallDto, required: false })
  cancel(@Param('id', callId) id: string, @Body() dto: CancelCallDto, @RequestMeta() meta: EventMetadata) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as in retry(): undefined without a body
    return this.calls.cancel(id, dto?.reason, meta);
  }
}
