import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  CallNotFoundError,
  ConcurrencyError,
  decide,
  IllegalTransitionError,
  type CallEvent,
  evolve,
  foldEvents,
  type CallCommand,
  type CallState,
  type DispatchPolicy,
} from '#domain';
import { DatabaseUnavailableError, EventStore, toDomainEvent, type EventMetadata, type StoredEvent, newId } from '#persistence';
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
  // The command records an answer already in hand (a dial's result, a provider status) that cannot
  // be asked for again: a database outage is waited out instead of failing the command.
  persistUntilStored?: boolean;
}

// Waiting out a database outage: quick at first (a blip), then every few seconds, for as long as a
// restart or fail-over plausibly takes. Past that the caller's own error handling takes over.
const OUTAGE_FIRST_DELAY_MS = 200;
const OUTAGE_MAX_DELAY_MS = 5000;
const OUTAGE_PATIENCE_MS = 10 * 60_000;

/**
 * The one path by which anything changes: load the call's stream, ask the decider, append what it
 * decided at the version we read. Used by the HTTP API and the dispatcher alike.
 */
@Injectable()
export class CallCommandsService implements OnApplicationShutdown {
  readonly policy: DispatchPolicy;
  private readonly logger = new Logger('CallCommands');
  // Wakes every outage wait at shutdown; runs after the dispatcher's in-flight grace (beforeApplicationShutdown).
  private readonly stop = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = {
      maxAttempts: config.maxAttempts,
      misfireGraceMs: config.misfireGraceMs,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      idempotentProvider: config.callApiIdempotent,
      defaultCallingWindow: config.callingWindow,
    };
  }

  onApplicationShutdown(): void {
    this.stop.abort();
  }

  /**
   * The decider with this service's policy, `now` and a fresh random draw, for callers that append
   * the events themselves (batched claims). A command the state does not allow decides nothing.
   */
  decideNow(command: CallCommand, state: CallState, now: Date): CallEvent[] {
    try {
      return decide(command, state, now, this.policy, Math.random());
    } catch (error) {
      if (error instanceof IllegalTransitionError) return [];
      throw error;
    }
  }

  /**
   * Decides `command` on `state` as the pipeline would, with this service's policy, and appends
   * nothing: throws the DomainError the command would meet. For input refused before anything is
   * written (a bulk retry's times), and for callers that append the events themselves (the import).
   */
  decideOnly(command: CallCommand, state: CallState, now: Date = this.clock.now()): CallEvent[] {
    return decide(command, state, now, this.policy);
  }

  async load(callId: string): Promise<{ state: CallState; history: StoredEvent[] }> {
    const history = await this.store.readStream(callId);
    return { state: foldEvents(callId, history.map(toDomainEvent)), history };
  }

  async execute(callId: string, command: CallCommand, options: ExecuteOptions): Promise<CommandResult> {
    const { state, history } = options.isNew
      ? { state: foldEvents(callId, []), history: [] }
      : options.persistUntilStored
        ? await this.outlastOutage(`reading call ${callId}`, () => this.load(callId))
        : await this.load(callId);
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
    // The decider is pure: the time and its random draw (the jitter of a retry) are read here, in the shell.
    const events = decide(command, state, this.clock.now(), this.policy, Math.random());
    if (events.length === 0) return { state, events: [] };
    const next = events.reduce(evolve, state);
    const append = (eventIds?: string[]) =>
      this.store.append(state.id, state.version, events, {
        metadata: { causationId, ...options.metadata },
        state: next,
        idempotency: options.idempotency,
        eventIds,
      });
    if (!options.persistUntilStored) return { state: next, events: await append() };
    // Ids fixed once: if a try committed but its answer was lost with the connection, the next try
    // finds these ids stored and returns them instead of appending the same decision twice.
    const eventIds = events.map(() => newId());
    return { state: next, events: await this.outlastOutage(`recording ${command.type} for call ${state.id}`, () => append(eventIds)) };
  }

  /** Runs `work` until it gets past a database outage: retried with backoff, given up only at shutdown or after OUTAGE_PATIENCE_MS. */
  private async outlastOutage<T>(what: string, work: () => Promise<T>): Promise<T> {
    // A duration, not a time of day: the monotonic clock, which a moved Clock or a stepped wall clock cannot bend.
    const started = performance.now();
    for (let attempt = 1, delay = OUTAGE_FIRST_DELAY_MS; ; attempt++, delay = Math.min(delay * 2, OUTAGE_MAX_DELAY_MS)) {
      try {
        const result = await work();
        if (attempt > 1) this.logger.log(`${what}: done after ${attempt} tries`);
        return result;
      } catch (error) {
        const patient = performance.now() - started + delay <= OUTAGE_PATIENCE_MS;
        if (!(error instanceof DatabaseUnavailableError) || this.stop.signal.aborted || !patient) throw error;
        if (attempt === 1) this.logger.warn(`${what}: ${error.message}; retrying until it is stored`);
        await pause(delay, this.stop.signal);
      }
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
