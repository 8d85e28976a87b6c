import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StoredEventDto } from '../calls/dto/call-view.dto.js';
import { EventsQuery } from '../calls/dto/list-calls.query.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { EventLogService } from './event-log.service.js';
import { clientAddress } from './long-read-gate.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiOperation({
    operationId: 'listEvents',
    summary: 'The global event log by position; Accept: application/x-ndjson streams all of it',
    description:
      'A page after the end is empty. The NDJSON export is a long read: at most 2 per client address (429) and a bounded number at once (503), each with Retry-After.',
  })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: [StoredEventDto] })
  @ApiErrors(400, 429, 503)
  async list(@Query() query: EventsQuery, @Headers('accept') accept: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    // @Res, not a returned value: the NDJSON answer is written page by page as the client takes it.
    if (accept?.includes('application/x-ndjson')) return this.log.exportNdjson(reply, query.after ?? 0, clientAddress(req));
    return reply.send(await this.log.page(query.after ?? 0, query.limit ?? 100));
  }
}
