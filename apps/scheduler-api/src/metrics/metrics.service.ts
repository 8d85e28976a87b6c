import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Subscription } from 'rxjs';
import { CallViewRepository, EventStore } from '#persistence';
import { RequestAuthenticator } from '../auth/request-auth.js';
import { CallApiCircuit } from '../dispatch/circuit/call-api-circuit.service.js';
import { DispatcherService } from '../dispatch/dispatcher.service.js';
import { StatusFollowerService } from '../dispatch/status-follower.service.js';

/** Prometheus metrics, derived from the committed events so they can never disagree with the log. */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly subscriptions: Subscription[] = [];
  private readonly dials = new Counter({
    name: 'call_dials_total',
    help: 'Dials by outcome: placed, unavailable (Call API unreachable: nothing placed, attempt not counted), failed, unknown',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused by authentication or authorisation, by reason: missing, malformed, invalid, revoked, ticket (bad stream ticket), forbidden (role too low)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly events = new Counter({ name: 'call_events_total', help: 'Events appended, by type', labelNames: ['type'], registers: [this.registry] });
  private readonly lateness = new Histogram({
    name: 'call_dispatch_lateness_seconds',
    help: 'Dial time minus scheduled time',
    buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 900],
    registers: [this.registry],
  });

  constructor(
    private readonly store: EventStore,
    views: CallViewRepository,
    private readonly dispatcher: DispatcherService,
    follower: StatusFollowerService,
    circuit: CallApiCircuit,
    private readonly authenticator: RequestAuthenticator,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Read when Prometheus scrapes: the services hold the live figures.
    const gauges: [name: string, help: string, read: () => number][] = [
      ['call_dials_in_flight', 'Dials waiting for the Call API', () => dispatcher.inFlightCount],
      ['calls_followed', 'Live calls whose status is being polled', () => follower.followingCount],
      ['call_api_up', 'The Call API circuit: 1 closed (dialling), 0 open or half-open', () => (circuit.status().up ? 1 : 0)],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    }
    new Gauge({
      name: 'calls_by_status',
      help: 'Calls in the projection, by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [status, count] of Object.entries(await views.countsByStatus())) this.set({ status }, count);
      },
    });
  }

  onModuleInit(): void {
    this.subscriptions.push(
      this.store.changes$.subscribe(({ event }) => {
        this.events.inc({ type: event.type });
        if (event.type === 'CallDispatched') this.lateness.observe(Number(event.data.latenessMs) / 1000);
      }),
      this.dispatcher.dialOutcome$.subscribe((outcome) => this.dials.inc({ outcome })),
      this.authenticator.failures$.subscribe((reason) => this.authFailures.inc({ reason })),
    );
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
