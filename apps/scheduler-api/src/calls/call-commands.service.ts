import { Inject, Injectable } from '@nestjs/common';
import {
  CallNotFoundError,
  ConcurrencyError,
  decide,
  evolve,
  foldEvents,
  type CallCommand,
  type CallState,
  type DispatchPolicy,
} from '../../../../libs/domain/src/index.js';
import { EventStore, toDomainEvent, type EventMetadata, type StoredEvent } from '../../../../libs/persistence/src/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';

export interface CommandResult {
  state: CallState;
  events: StoredEvent[];
}

export interface ExecuteOptions {
  metadata: EventMetadata;
  idempotency?: { key: string; requestHash: string };
  // A fresh stream (schedule) has no events to load.
  isNew?: boolean;
}

/**
 * The one path by which anything changes: load the call's stream, ask the decider, append what it
 * decided at the version we read. Used by the HTTP API and the dispatcher alike.
 */
@Injectable()
export class CallCommandsService {
  readonly policy: DispatchPolicy;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = {
      maxAttempts: config.maxAttempts,
      misfireGraceMs: config.misfireGraceMs,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      idempotentProvider: config.callApiIdempotent,
    };
  }

  async load(callId: string): Promise<{ state: CallState; history: StoredEvent[] }> {
    const history = await this.store.readStream(callId);
    return { state: foldEvents(callId, history.map(toDomainEvent)), history };
  }

  async execute(callId: string, command: CallCommand, options: ExecuteOptions): Promise<CommandResult> {
    const { state, history } = options.isNew ? { state: foldEvents(callId, []), history: [] } : await this.load(callId);
    if (!options.isNew && history.length === 0) throw new CallNotFoundError(callId);
    return this.decideAndAppend(state, history.at(-1)?.eventId, command, options);
  }

  /**
   * Like execute, but re-reads and decides again when another writer moved the stream first.
   * `known` is the result of this caller's previous command on the call: deciding from it saves
   * reading the stream back; if it is stale, the append fails and the retry reads afresh.
   */
  async executeWithRetry(callId: string, command: CallCommand, options: ExecuteOptions, known?: CommandResult, tries = 3): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (known && attempt === 1) return await this.decideAndAppend(known.state, known.events.at(-1)?.eventId, command, options);
        return await this.execute(callId, command, options);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= tries) throw error;
      }
    }
  }

  private async decideAndAppend(state: CallState, causationId: string | undefined, command: CallCommand, options: ExecuteOptions): Promise<CommandResult> {
    const events = decide(command, state, this.clock.now(), this.policy);
    if (events.length === 0) return { state, events: [] };
    const next = events.reduce(evolve, state);
    const stored = await this.store.append(state.id, state.version, events, {
      metadata: { causationId, ...options.metadata },
      state: next,
      idempotency: options.idempotency,
    });
    return { state: next, events: stored };
  }
}
