import { Module } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

@Module({ imports: [DispatchModule], controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}
