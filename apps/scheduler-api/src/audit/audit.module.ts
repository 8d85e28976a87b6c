import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** GET /api/audit/verify. Database comes from the global DatabaseModule. */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
