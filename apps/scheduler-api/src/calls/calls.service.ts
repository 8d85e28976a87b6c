import { Injectable, type StreamableFile } from '@nestjs/common';
import {
  CallNotFoundError,
  ConcurrencyError,
  IdempotencyMismatchError,
  IllegalTransitionError,
  initialState,
  parseStatusFilter,
  phoneSearchDigits,
  stateAsOf,
  toCallView,
  type CallCommand,
  type CallView,
  type Page,
  type ScheduleCall,
} from '#domain';
import {
  CallViewRepository,
  EventStore,
  IdempotencyKeyTakenError,
  toDomainEvent,
  type EventMetadata,
  type HistoryFilter,
  type StoredEvent,
  newId,
} from '#persistence';
import { CallCommandsService } from '../commands/call-commands.service.js';
import { historyCsv } from './history-csv.js';
import { scheduleRequestHash } from './schedule-request-hash.js';
import type { CallQuery, HistoryQuery, PendingQuery } from './dto/list-calls.query.js';
import { HISTORY_STATUSES } from './dto/validators.js';
import type { BulkRetryDto, RescheduleCallDto, RetryCallDto, ScheduleCallDto } from './dto/schedule-call.dto.js';

const DEFAULT_PAGE = 50;
const BULK_PAGE = 200;

/** The filters of GET /api/calls/history, one place for its JSON pages and its CSV. */
function historyFilter(query: HistoryQuery): HistoryFilter {
  return {
    status: query.status === undefined ? undefined : parseStatusFilter(query.status, HISTORY_STATUSES),
    phoneNumber: query.phoneNumber,
    phoneDigits: query.phone === undefined ? undefined : phoneSearchDigits(query.phone),
  };
}

/** The HTTP API's use cases: each is one command through CallCommandsService, or one read. */
@Injectable()
export class CallsService {
  constructor(
    private readonly commands: CallCommandsService,
    private readonly views: CallViewRepository,
    private readonly store: EventStore,
  ) {}

  async schedule(dto: ScheduleCallDto, idempotencyKey: string | undefined, metadata: EventMetadata): Promise<CallView> {
    const command: ScheduleCall = {
      type: 'ScheduleCall',
      phoneNumber: dto.phoneNumber,
      scheduledAt: dto.scheduledAt,
      timezone: dto.timezone,
      deadline: dto.deadline,
      callingWindow: dto.callingWindow,
    };
    if (!idempotencyKey) return this.run(newId(), command, { metadata, isNew: true });

    const requestHash = scheduleRequestHash(command);
    const earlier = await this.replayIdempotent(idempotencyKey, requestHash);
    if (earlier) return earlier;
    try {
      return await this.run(newId(), command, { metadata, isNew: true, idempotency: { key: idempotencyKey, requestHash } });
    } catch (error) {
      // Two requests with one key raced past the look-up: the loser answers with the winner's call
      // (appends are serialised, so the winner has committed by the time the loser's insert fails).
      const raced = error instanceof IdempotencyKeyTakenError || error instanceof ConcurrencyError;
      const winner = raced ? await this.replayIdempotent(idempotencyKey, requestHash) : null;
      if (winner) return winner;
      throw error;
    }
  }

  reschedule(id: string, dto: RescheduleCallDto, metadata: EventMetadata): Promise<CallView> {
    return this.run(
      id,
      { type: 'RescheduleCall', scheduledAt: dto.scheduledAt, deadline: dto.deadline, timezone: dto.timezone, callingWindow: dto.callingWindow },
      { metadata },
    );
  }

  /** A new attempt budget for a failed, missed or untracked call (409 for any other status). */
  retry(id: string, dto: RetryCallDto, metadata: EventMetadata): Promise<CallView> {
    return this.run(id, { type: 'RetryCall', at: dto.at, deadline: dto.deadline }, { metadata });
  }

  /** Retries every call in the given statuses that ended in the range; answers how many. */
  async retryAll(dto: BulkRetryDto, metadata: EventMetadata): Promise<{ count: number }> {
    const command: CallCommand = { type: 'RetryCall', at: dto.at, deadline: dto.deadline };
    // Bad times are refused before anything is written, not at the first call.
    this.commands.decideOnly(command, { ...initialState('validation'), status: 'failed' });
    const seen = new Set<string>();
    let count = 0;
    for (;;) {
      // A retried call leaves these statuses, so each page is the next one; `seen` guards calls that could not be retried.
      const page = (await this.views.endedBetween(dto.status, dto.since ?? null, dto.until ?? null, BULK_PAGE + seen.size)).filter((c) => !seen.has(c.id));
      if (page.length === 0) return { count };
      for (const call of page) {
        seen.add(call.id);
        try {
          await this.commands.execute(call.id, command, { metadata });
          count += 1;
        } catch (error) {
          // Changed meanwhile (retried by someone else, say): theirs stands.
          if (!(error instanceof ConcurrencyError || error instanceof IllegalTransitionError)) throw error;
        }
      }
    }
  }

  cancel(id: string, reason: string | undefined, metadata: EventMetadata): Promise<CallView> {
    return this.run(id, { type: 'CancelCall', reason }, { metadata });
  }

  dispatchNow(id: string, metadata: EventMetadata): Promise<CallView> {
    return this.run(id, { type: 'DispatchNow' }, { metadata });
  }

  async get(id: string, query: CallQuery = {}): Promise<CallView> {
    if (query.asOf) return this.asOf(id, query.asOf);
    const view = await this.views.findById(id);
    if (!view) throw new CallNotFoundError(id);
    return view;
  }

  async events(id: string): Promise<StoredEvent[]> {
    const events = await this.store.readStream(id);
    if (events.length === 0) throw new CallNotFoundError(id);
    return events;
  }

  pending(query: PendingQuery): Promise<Page<CallView>> {
    return this.views.pending(query.limit ?? DEFAULT_PAGE, query.cursor, query.phone === undefined ? undefined : phoneSearchDigits(query.phone));
  }

  history(query: HistoryQuery): Promise<Page<CallView>> {
    return this.views.history(query.limit ?? DEFAULT_PAGE, query.cursor, historyFilter(query));
  }

  /** The same rows as `history`'s pages, all of them (or `limit`), as a streamed CSV file. */
  historyCsv(query: HistoryQuery): StreamableFile {
    const filter = historyFilter(query);
    return historyCsv((limit, cursor) => this.views.history(limit, cursor, filter), query.cursor, query.limit);
  }

  async stats() {
    const [counts, recent] = await Promise.all([this.views.countsByStatus(), this.views.recentlyDispatched(100)]);
    const recentLateness = recent.flatMap((c) =>
      c.dispatchedAt && c.latenessMs !== null ? [{ callId: c.id, dispatchedAt: c.dispatchedAt, latenessMs: c.latenessMs }] : [],
    );
    return { counts, recentLateness };
  }

  private async run(id: string, command: CallCommand, options: Parameters<CallCommandsService['execute']>[2]): Promise<CallView> {
    const { state } = await this.commands.execute(id, command, options);
    return toCallView(state);
  }

  private async replayIdempotent(key: string, requestHash: string): Promise<CallView | null> {
    const earlier = await this.views.findIdempotencyKey(key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) throw new IdempotencyMismatchError();
    return this.get(earlier.callId);
  }

  private async asOf(id: string, instant: string): Promise<CallView> {
    const state = stateAsOf(id, (await this.store.readStream(id)).map(toDomainEvent), instant);
    if (!state) throw new CallNotFoundError(id);
    return toCallView(state);
  }
}
