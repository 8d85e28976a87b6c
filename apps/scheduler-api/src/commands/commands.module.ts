import { Module } from '@nestjs/common';
import { CallCommandsService } from './call-commands.service.js';

/**
 * The command pipeline (load stream → decide → append), on its own so the HTTP API (calls/) and
 * the dispatcher (dispatch/) both use it without one feature importing the other.
 */
@Module({
  providers: [CallCommandsService],
  exports: [CallCommandsService],
})
export class CommandsModule {}
