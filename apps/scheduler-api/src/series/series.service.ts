import { Injectable } from '@nestjs/common';
import {
  ConcurrencyError,
  decideSeries,
  DomainError,
  evolveSeries,
  foldSeries,
  SeriesNotFoundError,
  toSeriesView,
  upcomingOccurrences,
  type OccurrenceView,
  type SeriesCommand,
  type SeriesState,
  type SeriesView,
} from '#domain';
import { CallViewRepository, SeriesRepository, toSeriesEvent, type EventMetadata, newId } from '#persistence';
import { Clock } from '../common/clock.js';
import { CallCommandsService } from '../commands/call-commands.service.js';
import type { CreateSeriesDto, EditSeriesDto, OccurrencesQuery } from './dto/series.dto.js';

const LIST_LIMIT = 500;
const DEFAULT_OCCURRENCES = 10;

/** The series API's use cases: each is one series command (load stream → decide → append) or one read. */
@Injectable()
export class SeriesService {
  constructor(
    private readonly repo: SeriesRepository,
    private readonly calls: CallCommandsService,
    private readonly callViews: CallViewRepository,
    private readonly clock: Clock,
  ) {}

  create(dto: CreateSeriesDto, metadata: EventMetadata): Promise<SeriesView> {
    const { phoneNumber, timezone, rrule, startsAt, until, count, callingWindow } = dto;
    return this.run(newId(), { type: 'CreateSeries', phoneNumber, timezone, rrule, startsAt, until, count, callingWindow }, metadata, true);
  }

  list(): Promise<SeriesView[]> {
    return this.repo.list(LIST_LIMIT);
  }

  async get(id: string): Promise<SeriesView> {
    const view = await this.repo.findById(id);
    if (!view) throw new SeriesNotFoundError(id);
    return view;
  }

  edit(id: string, dto: EditSeriesDto, metadata: EventMetadata): Promise<SeriesView> {
    const { phoneNumber, timezone, rrule, startsAt, until, count, callingWindow } = dto;
    return this.run(id, { type: 'EditSeries', phoneNumber, timezone, rrule, startsAt, until, count, callingWindow }, metadata);
  }

  pause(id: string, reason: string | undefined, metadata: EventMetadata): Promise<SeriesView> {
    return this.run(id, { type: 'PauseSeries', reason }, metadata);
  }

  resume(id: string, metadata: EventMetadata): Promise<SeriesView> {
    return this.run(id, { type: 'ResumeSeries' }, metadata);
  }

  /**
   * Ends the series and cancels the calls it already created that are still pending (occurrences
   * within SERIES_LEAD of now): after "end", nothing of the series rings. Calls under way or done
   * are left as they are.
   */
  async end(id: string, reason: string | undefined, metadata: EventMetadata): Promise<SeriesView> {
    const view = await this.run(id, { type: 'EndSeries', reason }, metadata);
    const { state } = await this.load(id);
    for (const occurrence of state.occurrences) {
      if (occurrence.callId === null) continue;
      const call = await this.callViews.findById(occurrence.callId);
      if (call?.status !== 'pending') continue;
      try {
        await this.calls.execute(call.id, { type: 'CancelCall', reason: `series ${id} ended` }, { metadata });
      } catch (error) {
        // Dialled meanwhile: that one stands.
        if (!(error instanceof DomainError)) throw error;
      }
    }
    return view;
  }

  /**
   * Past occurrences (the last `limit` dealt with, each with its call's status) and the next `limit`
   * to come, in time order. `at` is UTC ISO-8601.
   */
  async occurrences(id: string, query: OccurrencesQuery): Promise<{ items: OccurrenceView[] }> {
    const limit = query.limit ?? DEFAULT_OCCURRENCES;
    const { state } = await this.load(id);
    const past = await Promise.all(
      state.occurrences.slice(-limit).map(async (o): Promise<OccurrenceView> => {
        if (o.callId === null) return { at: o.at, callId: null, status: 'skipped', reason: o.skipped };
        const call = await this.callViews.findById(o.callId);
        return { at: o.at, callId: o.callId, status: call?.status ?? 'pending', reason: call?.lastError ?? null };
      }),
    );
    // Upcoming from now on: a paused series shows what it would do once resumed now.
    const notBefore = state.status === 'paused' ? this.clock.now().toISOString() : undefined;
    const upcoming = upcomingOccurrences(state, limit, notBefore).map((at): OccurrenceView => ({ at, callId: null, status: 'upcoming', reason: null }));
    return { items: [...past, ...upcoming] };
  }

  async load(id: string): Promise<{ state: SeriesState }> {
    const history = await this.repo.readStream(id);
    if (history.length === 0) throw new SeriesNotFoundError(id);
    return {
      state: foldSeries(id, history.map(toSeriesEvent)),
    };
  }

  /** Decides `command` on the series and appends the events; retried once when another writer moved the stream first. */
  async run(id: string, command: SeriesCommand, metadata: EventMetadata, isNew = false): Promise<SeriesView> {
    for (let attempt = 1; ; attempt++) {
      const state = isNew ? foldSeries(id, []) : (await this.load(id)).state;
      const events = decideSeries(command, state, this.clock.now());
      const next = events.reduce(evolveSeries, state);
      try {
        await this.repo.append(next, state.version, events, metadata);
        return toSeriesView(next);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || isNew || attempt >= 3) throw error;
      }
    }
  }
}
