import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { replayProjection, verifyDatabase } from '../libs/persistence/src/audit/index.js';
import { Database, openDataSource } from '../libs/persistence/src/index.js';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { removeTempDatabase } from './support/dispatch-helpers.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Recurring calls against the built scheduler (its own process, a SQLite file) and the Call API
// stand-in: the HTTP routes, occurrences materialising into calls that get dialled, a kill -9 in
// the middle of materialising, and replay + audit verify over a log with series in it.
// Needs the build: `npm run build:server`.

interface Series {
  id: string;
  status: string;
  nextAt: string | null;
  occurrences: number;
  rrule: string;
}
interface Occurrence {
  at: string;
  callId: string | null;
  status: string;
}
interface StoredEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

const REPLAY_CLI = resolve(import.meta.dirname, '../dist/apps/scheduler-api/src/cli/replay.js');

// Occurrences up to two days ahead become calls: an HOURLY series materialises many at once.
const ENV = { SERIES_LEAD: '48h', DISPATCH_INTERVAL_MS: '100', FOLLOW_INTERVAL_MS: '100', FOLLOW_MAX_INTERVAL_MS: '300' };

describe('recurring calls (series), end to end', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess | undefined;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
    scheduler = await startScheduler({ callApiUrl: mock.url, env: ENV });
    api = client(`${scheduler.url}/api`);
  }, 60_000);

  afterAll(async () => {
    await scheduler?.kill9();
    removeTempDatabase(scheduler?.databaseUrl);
    await mock.stop();
  }, 30_000);

  const allEvents = async () => {
    const events: StoredEvent[] = [];
    for (let after = 0; ;) {
      const page = await api.get<(StoredEvent & { position: number })[]>(`/events?after=${after}&limit=1000`);
      if (page.body.length === 0) return events;
      events.push(...page.body);
      after = page.body[page.body.length - 1].position;
    }
  };

  it("lists the issue's occurrences: 09:00 New York is 14:00Z until 2027-03-13, 13:00Z from 2027-03-14", async () => {
    const created = await api.post<Series>('/series', {
      phoneNumber: phoneNumber(1),
      timezone: 'America/New_York',
      rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0',
      startsAt: '2027-03-10T05:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', rrule: 'FREQ=DAILY;BYSECOND=0;BYMINUTE=0;BYHOUR=9', nextAt: '2027-03-10T14:00:00.000Z' });
    const list = await api.get<{ items: Occurrence[] }>(`/series/${created.body.id}/occurrences?limit=6`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      ['2027-03-10T14:00', '2027-03-11T14:00', '2027-03-12T14:00', '2027-03-13T14:00', '2027-03-14T13:00', '2027-03-15T13:00'].map((t) => ({
        at: `${t}:00.000Z`,
        callId: null,
        status: 'upcoming',
        reason: null,
      })),
    );
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const before = (await allEvents()).length;
    const good = { phoneNumber: phoneNumber(2), timezone: 'Europe/Paris', rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...good, rrule: 'FREQ=DAILY;BYHOUR=99' }, 'rrule', 'BYHOUR=99 is out of range'],
      [{ ...good, rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rrule', 'Invalid BYDAY value: XX'],
      [{ ...good, rrule: 'FREQ=MINUTELY' }, 'rrule', 'not allowed'],
      [{ ...good, rrule: undefined }, 'rrule', 'required'],
      [{ ...good, timezone: 'Mars/Olympus_Mons' }, 'timezone', 'IANA'],
      [{ ...good, count: 0 }, 'count', 'count'],
      [{ ...good, startsAt: '2027-01-01T09:00' }, 'startsAt', 'offset'],
      [{ ...good, startsAt: '2027-01-01T00:00:00Z', until: '2026-12-01T00:00:00Z' }, 'until', 'until'],
      [{ ...good, phoneNumber: '12' }, 'phoneNumber', 'phone'],
      [{ ...good, callingWindow: 'Mon-Fri 9-5' }, 'callingWindow', 'callingWindow'],
    ];
    for (const [body, field, words] of cases) {
      const res = await api.post<{ fields: Record<string, string[]> }>('/series', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.fields[field].join(' ')).toContain(words);
    }
    expect(await api.get('/series/not-a-uuid')).toMatchObject({ status: 404 });
    expect(await api.get('/series/2f9c0e6e-5a8e-4d43-9a57-1f7e0b8f5c21/occurrences?limit=0')).toMatchObject({ status: 400 });
    expect((await allEvents()).length).toBe(before);
  });

  it('pauses, resumes, edits (from the next occurrence on) and ends a series', async () => {
    const { body: series } = await api.post<Series>('/series', {
      phoneNumber: phoneNumber(3),
      timezone: 'Europe/Paris',
      rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
      startsAt: '2027-01-01T00:00:00Z',
    });
    expect(series.nextAt).toBe('2027-01-04T08:00:00.000Z');
    const paused = await api.post<Series>(`/series/${series.id}/pause`, { reason: 'on holiday' });
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused', nextAt: null } });
    expect(await api.post(`/series/${series.id}/pause`)).toMatchObject({ status: 409 });
    expect(await api.post<Series>(`/series/${series.id}/resume`)).toMatchObject({
      status: 200,
      body: { status: 'active', nextAt: '2027-01-04T08:00:00.000Z' },
    });

    const edited = await api.patch<Series>(`/series/${series.id}`, { rrule: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=10', count: 3 });
    expect(edited).toMatchObject({ status: 200, body: { nextAt: '2027-01-05T09:00:00.000Z' } });
    const occurrences = await api.get<{ items: Occurrence[] }>(`/series/${series.id}/occurrences?limit=5`);
    expect(occurrences.body.items.map((o) => o.at)).toEqual(['2027-01-05T09:00:00.000Z', '2027-01-12T09:00:00.000Z', '2027-01-19T09:00:00.000Z']);
    expect(await api.patch(`/series/${series.id}`, { rrule: 'FREQ=SECONDLY' })).toMatchObject({
      status: 400,
      body: { fields: { rrule: [expect.any(String)] } },
    });

    expect(await api.delete<Series>(`/series/${series.id}`)).toMatchObject({ status: 200, body: { status: 'ended', nextAt: null } });
    expect(await api.post(`/series/${series.id}/resume`)).toMatchObject({ status: 409 });
    expect((await api.get<{ items: Occurrence[] }>(`/series/${series.id}/occurrences`)).body.items).toEqual([]);
    const listed = await api.get<Series[]>('/series');
    expect(listed.body.find((s) => s.id === series.id)).toMatchObject({ status: 'ended' });

    const types = (await allEvents()).filter((e) => e.streamId === `series-${series.id}`).map((e) => e.type);
    expect(types).toEqual(['SeriesCreated', 'SeriesPaused', 'SeriesResumed', 'SeriesEdited', 'SeriesEnded']);
  });

  it('turns occurrences into calls that the stand-in dials, and shows their outcomes', async () => {
    const number = phoneNumber(4);
    const startsAt = new Date(Date.now() + 1500).toISOString();
    const { body: series } = await api.post<Series>('/series', {
      phoneNumber: number,
      timezone: 'Asia/Tokyo',
      rrule: 'FREQ=DAILY',
      startsAt,
      count: 2,
      callingWindow: '00:00-24:00',
    });
    let seen: Occurrence[] = [];
    const first = await eventually(async () => {
      seen = (await api.get<{ items: Occurrence[] }>(`/series/${series.id}/occurrences`)).body.items;
      return seen[0]?.callId && seen[0].status === 'completed' ? seen : undefined;
    }, 20_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; occurrences: ${JSON.stringify(seen)}; ${scheduler?.output().slice(-2000)}`);
    });
    expect(first[0].at).toBe(new Date(Math.floor(Date.parse(startsAt) / 1000) * 1000).toISOString());
    // The second occurrence is a day later: within the 48 h lead, so it is a pending call already.
    expect(first[1]).toMatchObject({ status: 'pending', callId: expect.any(String) });
    expect((await api.get(`/calls/${first[0].callId}`)).body).toMatchObject({
      phoneNumber: number,
      timezone: 'Asia/Tokyo',
      callingWindow: '00:00-24:00',
      status: 'completed',
    });
    expect((await mock.dials()).byNumber[number]).toBe(1);

    // Ending the series cancels the call still pending.
    await api.delete(`/series/${series.id}`);
    expect((await api.get(`/calls/${first[1].callId}`)).body).toMatchObject({ status: 'cancelled' });
  }, 40_000);

  it('creates each occurrence once across a kill -9 while materialising, then replay equals live and the chain verifies', async () => {
    if (!scheduler) throw new Error('no scheduler');
    const { databaseUrl } = scheduler;
    const number = phoneNumber(5);
    // 40 hourly occurrences, all within the lead: the materialiser creates 40 calls in a burst.
    const created = await api.post<Series>('/series', {
      phoneNumber: number,
      timezone: 'UTC',
      rrule: 'FREQ=HOURLY',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      count: 40,
    });
    const id = created.body.id;
    await eventually(async () => ((await api.get<Series>(`/series/${id}`)).body.occurrences > 3 ? true : undefined), 10_000, 20);
    await scheduler.kill9();
    scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env: ENV });
    api = client(`${scheduler.url}/api`);
    await eventually(async () => ((await api.get<Series>(`/series/${id}`)).body.occurrences === 40 ? true : undefined), 20_000);

    const events = await allEvents();
    const recorded = events.filter((e) => e.streamId === `series-${id}` && e.type === 'SeriesOccurrenceScheduled');
    expect(recorded).toHaveLength(40);
    expect(new Set(recorded.map((e) => e.data.at)).size).toBe(40);
    const callIds = new Set(recorded.map((e) => e.data.callId as string));
    const scheduled = events.filter((e) => e.type === 'CallScheduled' && e.data.phoneNumber === number);
    expect(scheduled).toHaveLength(40);
    expect(new Set(scheduled.map((e) => e.streamId))).toEqual(callIds);

    await scheduler.stop();
    const db = new Database(await openDataSource(databaseUrl));
    try {
      const replay = await replayProjection(db);
      expect(replay).toMatchObject({ differences: 0, anomalies: 0, series: { differences: 0 } });
      expect(replay.series.replayedRows).toBe(replay.series.liveRows);
      expect(replay.series.replayedRows).toBeGreaterThanOrEqual(4);
      await expect(verifyDatabase(db)).resolves.toMatchObject({ ok: true });
    } finally {
      await db.close();
    }
    // The operator's command says the same, naming the series projection.
    const cli = spawnSync(process.execPath, [REPLAY_CLI], { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl }, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/series: \d+ events into \d+ rows; live series_views: \d+ rows; differences: 0/);
  }, 90_000);
});
