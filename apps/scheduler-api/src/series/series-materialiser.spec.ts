import { Logger } from '@nestjs/common';
import { ConcurrencyError, decideSeries, evolveSeries, initialSeriesState, type SeriesCommand, type SeriesState } from '#domain';
import type { SeriesRepository } from '#persistence';
import type { CallCommandsService } from '../commands/call-commands.service.js';
import type { Clock } from '../common/clock.js';
import type { PeriodicJob } from '../common/periodic-job.js';
import { loadConfig } from '../config/app-config.js';
import { occurrenceCallId } from './occurrence-call-id.js';
import { SeriesMaterialiser } from './series-materialiser.js';
import type { SeriesService } from './series.service.js';

const NOW = new Date('2027-03-10T12:00:00Z');
const config = loadConfig({ SERIES_LEAD: '24h', DISPATCH_INTERVAL_MS: '100' });

/** A series held in memory, driven by the real decider; the call pipeline is a recording fake. */
function harness(options: { dueFails?: number; callExists?: boolean } = {}) {
  let state: SeriesState = decideSeries(
    { type: 'CreateSeries', phoneNumber: '+14155550100', timezone: 'America/New_York', rrule: 'FREQ=DAILY;BYHOUR=9', count: 3 },
    initialSeriesState('s1'),
    NOW,
  ).reduce(evolveSeries, initialSeriesState('s1'));
  let dueFails = options.dueFails ?? 0;
  const scheduled: string[] = [];
  const repo = {
    due: () => (dueFails-- > 0 ? Promise.reject(new Error('database is down')) : Promise.resolve(['s1'])),
  } as unknown as SeriesRepository;
  const series = {
    load: () => Promise.resolve({ state }),
    run: (_id: string, command: SeriesCommand) => {
      state = decideSeries(command, state, NOW).reduce(evolveSeries, state);
      return Promise.resolve();
    },
  } as unknown as SeriesService;
  const calls = {
    execute: (callId: string) => {
      if (options.callExists) return Promise.reject(new ConcurrencyError(callId, 0));
      scheduled.push(callId);
      return Promise.resolve({});
    },
  } as unknown as CallCommandsService;
  const clock: Clock = { now: () => NOW };
  const materialiser = new SeriesMaterialiser(repo, series, calls, clock, config);
  return { materialiser, scheduled, state: () => state };
}

describe('SeriesMaterialiser', () => {
  it('turns the occurrences within the lead into calls with ids derived from the series and the instant', async () => {
    const h = harness();
    await expect(h.materialiser.materialiseDue()).resolves.toBe(1);
    // The lead ends at 03-11 12:00Z: 09:00 New York on 03-10 (14:00Z) is in it, 03-11 (14:00Z) is not.
    expect(h.scheduled).toEqual([occurrenceCallId('s1', '2027-03-10T14:00:00.000Z')]);
    expect(h.state().occurrences).toEqual([{ at: '2027-03-10T14:00:00.000Z', callId: h.scheduled[0], skipped: null }]);
    // Again: nothing new (idempotent per occurrence).
    await expect(h.materialiser.materialiseDue()).resolves.toBe(0);
  });

  it('records an occurrence whose call an earlier pass already created (restart between the two appends)', async () => {
    const h = harness({ callExists: true });
    await h.materialiser.materialiseDue();
    expect(h.state().occurrences.map((o) => o.callId)).toEqual([occurrenceCallId('s1', '2027-03-10T14:00:00.000Z')]);
  });

  it('logs a failing pass and retries with backoff instead of throwing', async () => {
    const errors: string[] = [];
    const spy = jestSpy(Logger.prototype, 'error', (message: unknown) => void errors.push(String(message)));
    const h = harness({ dueFails: 2 });
    const pass = () => (h.materialiser as unknown as { job: PeriodicJob }).job.run();
    try {
      await expect(pass()).resolves.toBeUndefined();
      await expect(pass()).resolves.toBeUndefined();
      expect(errors).toEqual([
        expect.stringContaining('(1 in a row), retrying in 200 ms: database is down'),
        expect.stringContaining('(2 in a row), retrying in 400 ms'),
      ]);
      await pass();
      expect(h.scheduled).toHaveLength(1);
    } finally {
      h.materialiser.onModuleDestroy();
      spy.restore();
    }
  });
});

// A minimal spy (the ESM Jest runtime has no global `jest` object in these specs).
function jestSpy<T extends object, K extends keyof T>(target: T, key: K, fake: (...args: unknown[]) => void) {
  const original = target[key];
  (target as Record<K, unknown>)[key] = fake;
  return { restore: () => ((target as Record<K, unknown>)[key] = original) };
}
