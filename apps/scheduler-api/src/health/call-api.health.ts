import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CallViewRepository } from '#persistence';
import { Clock } from '../common/clock.js';
import { CallApiCircuit } from '../dispatch/circuit/call-api-circuit.service.js';
import { withTimeout } from './with-timeout.js';

/** /health's `callApi`: the circuit breaker's view of the Call API, and how many calls wait for it while it is down. */
@Injectable()
export class CallApiHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly circuit: CallApiCircuit,
    private readonly views: CallViewRepository,
    private readonly clock: Clock,
  ) {}

  async isAvailable() {
    const session = this.indicators.check('callApi');
    const status = this.circuit.status();
    if (status.up) return session.up();
    // How many calls wait for it; unknown if the database is down too.
    const waiting = await withTimeout(this.views.countDue(this.clock.now()), 'no count').catch(() => null);
    return session.down({ since: status.since, waiting, reason: status.reason, circuit: status.state });
  }
}
