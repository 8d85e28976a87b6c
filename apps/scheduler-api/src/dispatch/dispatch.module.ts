import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CommandsModule } from '../commands/commands.module.js';
import { CallApiClient } from './call-api.client.js';
import { callApiHttpOptions } from './call-api.http.js';
import { CallApiCircuit } from './circuit/call-api-circuit.service.js';
import { DispatchSweepJob } from './dispatch-sweep.job.js';
import { DispatcherService } from './dispatcher.service.js';
import { StatusFollowerService } from './status-follower.service.js';
import { LeaseTakeoverService } from './lease-takeover.service.js';
import { ClusterService } from '../cluster/cluster.service.js';

@Module({
  imports: [
    // The Call API's axios instance, configured from the validated environment (APP_CONFIG is global).
    HttpModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => callApiHttpOptions(config) }),
    CommandsModule,
  ],
  providers: [CallApiClient, CallApiCircuit, ClusterService, DispatcherService, StatusFollowerService, LeaseTakeoverService, DispatchSweepJob],
  exports: [DispatcherService, StatusFollowerService, CallApiCircuit, ClusterService],
})
export class DispatchModule {}
