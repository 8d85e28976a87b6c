import { BadRequestException, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StreamService } from './stream.service.js';

@ApiTags('stream')
@Controller('stream')
export class StreamController {
  constructor(@Inject(StreamService) private readonly stream: StreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Server-Sent Events: every projection change, `event: change`, `id: <position>`, data {position, event, call}',
    description: 'Reconnect with Last-Event-ID (or ?lastEventId=) to receive the stored events after that position first. A comment line is sent every 15 s as a heartbeat.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event position' })
  @ApiQuery({ name: 'lastEventId', required: false, type: Number, description: 'the same, for clients that cannot set headers' })
  @ApiOkResponse({ description: 'an endless text/event-stream' })
  follow(@Headers('last-event-id') header: string | undefined, @Query('lastEventId') query: string | undefined, @Res() res: Response) {
    return this.stream.follow(res, parsePosition(header ?? query));
  }
}

function parsePosition(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const position = Number(raw);
  if (!Number.isSafeInteger(position) || position < 0) throw new BadRequestException('lastEventId must be a non-negative integer event position');
  return position;
}
