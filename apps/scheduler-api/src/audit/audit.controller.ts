import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { clientAddress } from '../log/long-read-gate.js';
import { AuditService } from './audit.service.js';
import { VerifyReportDto } from './verify-report.dto.js';

@ApiTags('audit')
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('verify')
  @ApiOperation({
    operationId: 'verifyAudit',
    summary: 'Verify the tamper-evident log: hash chain, gapless positions, stream versions (same as `npm run audit -- verify`)',
    description: 'A long read (429/503 with Retry-After when too many run); identical concurrent requests share one scan, different ones run one at a time.',
  })
  @ApiQuery({ name: 'anchor', required: false, description: 'POSITION:HASH recorded earlier: that row must still have that hash' })
  @ApiOkResponse({ type: VerifyReportDto })
  @ApiErrors(400, 429, 503)
  verify(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @Query('anchor') anchor?: string) {
    return this.audit.verify(anchor, clientAddress(req), res);
  }
}
