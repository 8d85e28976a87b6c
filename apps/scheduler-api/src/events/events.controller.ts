import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EventStore } from '../../../../libs/persistence/src/index.js';
import { StoredEventDto } from '../calls/dto/call-view.dto.js';
import { EventsQuery } from '../calls/dto/list-calls.query.js';
import { ApiErrors } from '../common/api-errors.decorator.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: 'The global event log by position; Accept: application/x-ndjson streams all of it' })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: [StoredEventDto] })
  @ApiErrors(400)
  async list(@Query() query: EventsQuery, @Headers('accept') accept: string | undefined, @Res() res: Response) {
    if (accept?.includes('application/x-ndjson')) {
      res.setHeader('Content-Type', 'application/x-ndjson');
      for await (const event of this.store.streamAll(query.after ?? 0)) {
        // Respect back-pressure so a slow reader does not make the whole log pile up in memory.
        if (!res.write(JSON.stringify(event) + '\n')) await new Promise((resolve) => res.once('drain', resolve));
      }
      return void res.end();
    }
    res.json(await this.store.readAll(query.after ?? 0, query.limit ?? 100));
  }
}
