import { BadRequestException, Controller, Get, Headers, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../auth/request-auth.js';
import { AcceptsTicket } from '../auth/auth.decorators.js';
import { StreamTicketDto } from '../auth/keys.dto.js';
import { StreamTickets } from '../auth/stream-tickets.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { clientAddress } from './long-read-gate.js';
import { StreamService } from './stream.service.js';

@ApiTags('stream')
@Controller('stream')
export class StreamController {
  constructor(
    private readonly stream: StreamService,
    private readonly tickets: StreamTickets,
  ) {}

  @Get()
  @AcceptsTicket()
  @ApiQuery({ name: 'ticket', required: false, description: 'a stream ticket from POST /api/stream/tickets (EventSource cannot send Authorization)' })
  @ApiOperation({
    operationId: 'streamChanges',
    summary: 'Server-Sent Events: every projection change, `event: change`, `id: <position>`, data {position, event, call}',
    description:
      'Reconnect with Last-Event-ID (or ?lastEventId=) to receive the stored events after that position first (400 when it is past the head). ' +
      'A catch-up is a long read: at most 2 per client address (429) and a bounded number at once (503), each with Retry-After. ' +
      'A comment line is sent every 15 s as a heartbeat.',
  })
  @ApiErrors(400, 429, 503)
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event position' })
  @ApiQuery({ name: 'lastEventId', required: false, type: Number, description: 'the same, for clients that cannot set headers' })
  @ApiOkResponse({
    description: 'an endless text/event-stream: `id: <position>`, `event: change`, `data: {position, event, call}`',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'id: 42\nevent: change\ndata: {"position":42,"event":{"type":"CallDispatched"},"call":{"id":"…","status":"dispatched"}}\n\n',
      },
    },
  })
  follow(
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.stream.follow(reply, parsePosition(header ?? query), clientAddress(req));
  }

  @Post('tickets')
  @ApiOperation({
    operationId: 'issueStreamTicket',
    summary: 'A single-use ticket for GET /api/stream?ticket=…, valid 60 s: the key itself never goes in a URL',
  })
  @ApiCreatedResponse({ type: StreamTicketDto })
  @ApiErrors(401)
  ticket(@Req() req: FastifyRequest) {
    const principal = principalOf(req);
    // The route is not @Public: the AuthGuard has put a principal on the request.
    if (!principal) throw new Error('stream ticket requested without a principal');
    return this.tickets.issue(principal);
  }
}

function parsePosition(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const position = Number(raw);
  if (!Number.isSafeInteger(position) || position < 0) {
    const message = 'lastEventId must be a non-negative integer event position';
    throw new BadRequestException({ message, fields: { lastEventId: [message] } });
  }
  return position;
}
