import { Module } from '@nestjs/common';
import { LongReadsModule } from '../long-reads/long-reads.module.js';
import { LogFeed } from './log-feed.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

/** GET /api/stream: the live feed of projection changes (Server-Sent Events). */
@Module({
  imports: [LongReadsModule],
  controllers: [StreamController],
  providers: [StreamService, LogFeed],
})
export class StreamModule {}
