import { Module } from '@nestjs/common';
import { CallCommandsService } from './call-commands.service.js';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';

@Module({
  controllers: [CallsController],
  providers: [CallCommandsService, CallsService],
  exports: [CallCommandsService, CallsService],
})
export class CallsModule {}
