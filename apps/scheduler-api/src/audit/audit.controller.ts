import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRoute } from '../common/api-route.decorator.js';
import { clientAddress } from '../log/long-read-gate.js';
import { AuditService } from './audit.service.js';
import { VerifyReportDto } from './verify-report.dto.js';

@ApiTags('audit')
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @ApiRoute({
    operationId: 'verifyAudit',
    summary: 'Verify the tamper-evident log: hash chain, gapless positions, stream versions (same as `npm run audit -- verify`)',
    description: 'A long read (429/503 with Retry-After when too many run); identical concurrent requests share one scan, different ones run one at a time.',
    answer: { type: VerifyReportDto },
    errors: [400, 429, 503],
  })
  @ApiQuery({ name: 'anchor', required: false, description: 'POSITION:HASH recorded earlier: that row must still have that hash' })
  verify(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @Query('anchor') anchor?: string) {
    return this.audit.verify(anchor, clientAddress(req), res);
  }
}
