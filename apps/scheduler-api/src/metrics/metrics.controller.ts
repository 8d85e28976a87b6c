import { Controller, Get, Header } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../common/api-route.decorator.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('health')
// Not public: call counts are business data. Scrapers send a viewer key (Prometheus: authorization.credentials).
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiRoute({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: events by type, dispatch lateness, dials in flight, calls by status',
    answer: {
      description: 'the Prometheus text exposition format',
      content: { 'text/plain': { schema: { type: 'string' }, example: '# TYPE call_api_up gauge\ncall_api_up 1\n' } },
    },
  })
  @ApiProduces('text/plain')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
