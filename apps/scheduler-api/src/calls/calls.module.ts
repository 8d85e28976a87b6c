import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';

/** /api/calls: the operator's and integrator's use cases, each one command or one read. */
@Module({
  imports: [CommandsModule],
  controllers: [CallsController],
  providers: [CallsService],
})
export class CallsModule {}
