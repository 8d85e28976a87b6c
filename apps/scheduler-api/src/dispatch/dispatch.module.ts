import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { CallApiClient } from './call-api.client.js';
import { CallApiCircuit } from './circuit/call-api-circuit.service.js';
import { DispatchSweepJob } from './dispatch-sweep.job.js';
import { DispatcherService } from './dispatcher.service.js';
import { StatusFollowerService } from './status-follower.service.js';

@Module({
  imports: [HttpModule, CommandsModule],
  providers: [CallApiClient, CallApiCircuit, DispatcherService, StatusFollowerService, DispatchSweepJob],
  exports: [DispatcherService, StatusFollowerService, CallApiCircuit],
})
export class DispatchModule {}
