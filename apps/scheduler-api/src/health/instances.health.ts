import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ClusterService } from '../cluster/cluster.service.js';

/**
 * /health's `instances`: the instances sharing this database, from the registry this one reads at
 * each heartbeat: live, or gone (no heartbeat for a few seconds; their leases run out and others
 * take their calls). Always "up": another instance's death is not this one's ill health.
 */
@Injectable()
export class InstancesHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly cluster: ClusterService,
  ) {}

  list() {
    const session = this.indicators.check('instances');
    const list = this.cluster.instances().map((i) => ({
      id: i.id,
      host: i.host,
      pid: i.pid,
      version: i.version,
      startedAt: i.startedAt,
      heartbeatAt: i.heartbeatAt,
      inFlight: i.inFlight,
      following: i.following,
      state: i.live ? 'live' : 'gone',
      self: i.self,
    }));
    const failing = this.cluster.heartbeatFailingSince;
    return session.up({ live: list.filter((i) => i.state === 'live').length, list, ...(failing ? { heartbeatFailingSince: failing.toISOString() } : {}) });
  }
}
