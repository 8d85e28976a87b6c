import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { CallApiClient } from './call-api.client.js';
import { DispatchSweepJob } from './dispatch-sweep.job.js';
import { DispatcherService } from './dispatcher.service.js';
import { StatusFollowerService } from './status-follower.service.js';

@Module({
  imports: [HttpModule, CallsModule],
  providers: [CallApiClient, DispatcherService, StatusFollowerService, DispatchSweepJob],
  exports: [DispatcherService, StatusFollowerService],
})
export class DispatchModule {}
