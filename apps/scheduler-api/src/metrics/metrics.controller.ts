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
  @ApiOperation({ summary: 'Prometheus metrics: events by type, dispatch lateness, dials in flight, calls by status' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ type: String })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
