import type { Logger } from '@nestjs/common';
import { ConcurrencyError, effectiveDeadline, IllegalTransitionError, type CallView } from '#domain';
import type { CallViewRepository, Database, EventMetadata } from '#persistence';
import type { CallCommandsService } from '../commands/call-commands.service.js';
import type { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { CallApiCircuit } from './circuit/call-api-circuit.service.js';

// Right after a database outage, answers in hand are still being recorded by their dispatchers
// (they retry until stored): their calls only look lost. Give them time before judging.
export const AFTER_OUTAGE_GRACE_MS = 10_000;
// While the Call API is down, due calls are checked against their deadlines this many at a time.
const DEADLINE_PAGE = 500;

export interface OverdueCallsDeps {
  commands: CallCommandsService;
  views: CallViewRepository;
  circuit: CallApiCircuit;
  db: Database;
  clock: Clock;
  config: AppConfig;
  metadata: EventMetadata;
  logger: Logger;
  isStopping(): boolean;
  isDialling(callId: string): boolean;
}

/**
 * The dispatcher's housekeeping of calls it cannot dial as usual: those past their deadline while
 * the Call API is down, and attempts whose answer never reached the log (their dialler died).
 */
export class OverdueCalls {
  private lastRecoveryAt = Number.NEGATIVE_INFINITY;
  private lastDeadlineCheckAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly d: OverdueCallsDeps) {}

  /**
   * While the Call API cannot be dialled, calls whose deadline passes are recorded missed with the
   * reason; the rest wait. Checked at the sweep cadence, a page at a time, soonest due first.
   */
  async missPastDeadline(): Promise<void> {
    const now = this.d.clock.now();
    if (now.getTime() - this.lastDeadlineCheckAt < this.d.config.dispatchIntervalMs) return;
    this.lastDeadlineCheckAt = now.getTime();
    const { since, reason } = this.d.circuit.status();
    for (const call of await this.d.views.due(now, DEADLINE_PAGE)) {
      if (this.d.isStopping() || !this.isMisfire(call, now)) continue;
      const why = `not placed by its deadline ${call.deadline ?? ''}: the Call API has been unavailable since ${since ?? 'recently'} (${reason ?? 'unreachable'})`;
      const missed = await this.tryCommand(call.id, { type: 'MissDeadline', reason: why });
      if (missed?.events.length) this.d.logger.warn(`call ${call.id} missed: ${why}`);
    }
  }

  /**
   * An attempt recorded as started whose answer never reached the log: its dispatcher died.
   * Any live dispatcher would have recorded an answer within the request timeout.
   */
  async recoverLostAttempts(): Promise<void> {
    const now = this.d.clock.now().getTime();
    // Lost attempts only age into "lost" after the request timeout: checking at the sweep cadence
    // is enough. Every finishing dial also sweeps, and must not pay for it each time.
    if (now - this.lastRecoveryAt < this.d.config.dispatchIntervalMs) return;
    this.lastRecoveryAt = now;
    // Right after a database outage, answers in hand are still being recorded by their dispatchers
    // (they retry until stored): their calls only look lost. Give them time before judging.
    if (now - (this.d.db.lastOutageEndedAt?.getTime() ?? Number.NEGATIVE_INFINITY) < AFTER_OUTAGE_GRACE_MS) return;
    const staleBefore = now - this.d.config.callApiTimeoutMs - 2000;
    const stuck = await this.d.views.inStatuses(['dispatching'], 500);
    for (const call of stuck) {
      if (this.d.isDialling(call.id) || Date.parse(call.updatedAt) > staleBefore) continue;
      this.d.logger.warn(`attempt ${call.attempts} of call ${call.id} lost its answer; not redialling blindly`);
      await this.tryCommand(call.id, {
        type: 'RecordLostAttempt',
        reason: 'the dispatcher stopped before the Call API answered; the call may have been placed',
      });
    }
  }

  private async tryCommand(callId: string, command: Parameters<CallCommandsService['execute']>[1]) {
    try {
      // A claim whose commit landed but whose reply was lost (database outage) must be found again,
      // not taken for one that failed: the retry re-appends the same events and finds them stored.
      return await this.d.commands.execute(callId, command, { metadata: this.d.metadata, persistUntilStored: command.type === 'StartDispatch' });
    } catch (error) {
      // Someone else changed the call first (another instance, an operator): theirs stands.
      if (error instanceof ConcurrencyError || error instanceof IllegalTransitionError) return null;
      throw error;
    }
  }

  private isMisfire(call: CallView, now: Date): boolean {
    return now.getTime() > effectiveDeadline(call, this.d.commands.policy);
  }
}
