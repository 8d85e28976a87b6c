import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.guard.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('health')
// Open like /health: scrapers and load balancers hold no token.
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics: events by type, dispatch lateness, dials in flight, calls by status' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'the Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' }, example: '# TYPE call_api_up gauge\ncall_api_up 1\n' } },
  })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
