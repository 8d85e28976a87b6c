import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';
import { CallImportController } from './import/call-import.controller.js';
import { CallImportService } from './import/call-import.service.js';
import { ImportWriter } from './import/import-writer.js';

/** /api/calls: the operator's and integrator's use cases, each one command or one read. */
@Module({
  imports: [CommandsModule],
  controllers: [CallImportController, CallsController],
  providers: [CallsService, CallImportService, ImportWriter],
})
export class CallsModule {}
