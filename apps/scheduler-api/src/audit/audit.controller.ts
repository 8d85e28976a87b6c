import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { AuditService } from './audit.service.js';
import { VerifyReportDto } from './verify-report.dto.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Verify the tamper-evident log: hash chain, gapless positions, stream versions (same as `npm run audit -- verify`)' })
  @ApiQuery({ name: 'anchor', required: false, description: 'POSITION:HASH recorded earlier: that row must still have that hash' })
  @ApiOkResponse({ type: VerifyReportDto })
  @ApiErrors(400)
  verify(@Query('anchor') anchor?: string) {
    return this.audit.verify(anchor);
  }
}
