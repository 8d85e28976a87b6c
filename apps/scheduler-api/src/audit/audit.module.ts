import { Module } from '@nestjs/common';
import { LogModule } from '../log/log.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** GET /api/audit/verify, a long read in LogModule's gate. Database comes from the global DatabaseModule. */
@Module({
  imports: [LogModule],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
