import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { SeriesController } from './series.controller.js';
import { SeriesMaterialiser } from './series-materialiser.js';
import { SeriesService } from './series.service.js';

/** /api/series: recurring calls, and the materialiser that turns their occurrences into calls. */
@Module({
  imports: [CommandsModule],
  controllers: [SeriesController],
  providers: [SeriesService, SeriesMaterialiser],
})
export class SeriesModule {}
