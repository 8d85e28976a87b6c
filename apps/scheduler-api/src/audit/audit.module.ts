import { Module } from '@nestjs/common';
import { LongReadsModule } from '../long-reads/long-reads.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** GET /api/audit/verify. Database comes from the global DatabaseModule. */
@Module({
  imports: [LongReadsModule],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
