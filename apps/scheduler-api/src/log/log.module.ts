import { Module } from '@nestjs/common';
import { EventLogService } from './event-log.service.js';
import { EventsController } from './events.controller.js';
import { LogFeed } from './log-feed.js';
import { LongReadGate } from './long-read-gate.js';
import { SealSweep } from './seal-sweep.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

/**
 * Reading the event log over HTTP: GET /api/events (a page, or all of it as NDJSON) and
 * GET /api/stream (the live feed as Server-Sent Events), with the one LongReadGate that whole-log
 * reads share (the audit's verify uses it too, hence the export), and the seal sweep (PostgreSQL).
 */
@Module({
  controllers: [EventsController, StreamController],
  providers: [EventLogService, StreamService, LogFeed, SealSweep, { provide: LongReadGate, useFactory: () => new LongReadGate() }],
  exports: [LongReadGate],
})
export class LogModule {}
