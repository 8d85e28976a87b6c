import { Module } from '@nestjs/common';
import { LongReadsModule } from '../long-reads/long-reads.module.js';
import { EventsExportService } from './events-export.service.js';
import { EventsController } from './events.controller.js';

/** GET /api/events: the global log, by page or streamed as NDJSON. */
@Module({
  imports: [LongReadsModule],
  controllers: [EventsController],
  providers: [EventsExportService],
})
export class EventsModule {}
