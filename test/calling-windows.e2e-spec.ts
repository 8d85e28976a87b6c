import { Temporal } from 'temporal-polyfill';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { zoneInTheNight } from './support/night-zone.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Callee time zones, calling windows and the list filters, over real HTTP against real processes
// (the API with its SQLite file, the Call API stand-in).
describe('callee time zones, calling windows and filters end to end', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.1' });
    scheduler = await startScheduler({
      callApiUrl: mock.url,
      env: { FOLLOW_INTERVAL_MS: '100', FOLLOW_MAX_INTERVAL_MS: '200', CALLING_WINDOW: 'Mon-Sun 08:00-21:00' },
    });
    api = client(scheduler.url);
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await mock?.stop();
  });

  it('does not dial a call due at night, callee time: it waits, recorded once, for 08:00 in their zone', async () => {
    const { zone, local } = zoneInTheNight(2);
    const number = phoneNumber(7001);
    // A local date-time without offset, read in the callee's zone; the window comes from CALLING_WINDOW.
    const created = await api.post('/api/calls', { phoneNumber: number, scheduledAt: local, timezone: zone });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ timezone: zone, callingWindow: 'Mon-Sun 08:00-21:00', status: 'pending' });
    expect(
      Temporal.Instant.from(created.body.scheduledAt as string)
        .toZonedDateTimeISO(zone)
        .toPlainDateTime()
        .toString({ smallestUnit: 'second' }),
    ).toBe(local);

    const opening = Temporal.PlainDateTime.from(local)
      .with({ hour: 8, minute: 0, second: 0 })
      .toZonedDateTime(zone)
      .toInstant()
      .toString({ smallestUnit: 'millisecond' });
    const waiting = await eventually(async () => {
      const { body } = await api.get(`/api/calls/${created.body.id}`);
      return body.windowOpensAt ? body : undefined;
    }, 10_000);
    expect(waiting).toMatchObject({ status: 'pending', windowOpensAt: opening, nextAttemptAt: opening, attempts: 0 });
    // Its deadline is the misfire grace after the opening, not after the scheduled time.
    expect(Date.parse(waiting.deadline as string)).toBe(Date.parse(opening) + 15 * 60_000);

    // A few sweeps later: still one deferral, no dial.
    await new Promise((r) => setTimeout(r, 2_500));
    const events = (await api.get(`/api/calls/${created.body.id}/events`)).body as { type: string; data: Record<string, string> }[];
    expect(events.map((e) => e.type)).toEqual(['CallScheduled', 'CallDeferredToWindow']);
    expect(events[0].data.callingWindow).toBe('Mon-Sun 08:00-21:00');
    expect(events[1].data.until).toBe(opening);
    expect(events[1].data.reason).toContain('waits for 08:00');
    expect((await mock.dials()).byNumber[number]).toBeUndefined();

    // "Dial now" would ring at night: refused, naming the window.
    const now = await api.post(`/api/calls/${created.body.id}/dispatch`);
    expect(now.status).toBe(409);
    expect(now.body).toMatchObject({ code: 'OUTSIDE_CALLING_WINDOW' });
  }, 30_000);

  it('dials a call whose own window is "any" at night, callee time', async () => {
    const { zone, local } = zoneInTheNight(1);
    const created = await api.post('/api/calls', { phoneNumber: phoneNumber(7002), scheduledAt: local, timezone: zone, callingWindow: 'any' });
    expect(created.body.callingWindow).toBeNull();
    await eventually(async () => ((await api.get(`/api/calls/${created.body.id}`)).body.attempts === 1 ? true : undefined), 10_000);
  }, 20_000);

  it('reschedules a call to another zone and window: the local time is read in the new zone, only what changed is recorded', async () => {
    const created = await api.post('/api/calls', {
      phoneNumber: phoneNumber(7004),
      scheduledAt: '2030-06-03T10:00',
      timezone: 'Europe/Paris',
      callingWindow: 'Mon-Fri 09:00-18:00',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // The callee moved to New York: 10:00 there, and a window for the evenings.
    const moved = await api.patch(`/api/calls/${id}`, { scheduledAt: '2030-06-03T10:00', timezone: 'America/New_York', callingWindow: '17:00-20:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ timezone: 'America/New_York', callingWindow: '17:00-20:00', scheduledAt: '2030-06-03T14:00:00.000Z' });
    // The window opens at 17:00 New York (21:00 UTC): the grace runs from there.
    expect(Date.parse(moved.body.deadline as string)).toBe(Date.parse('2030-06-03T21:00:00Z') + 15 * 60_000);

    // A plain reschedule keeps both; its event says nothing of them.
    const later = await api.patch(`/api/calls/${id}`, { scheduledAt: '2030-06-04T18:00' });
    expect(later.body).toMatchObject({ timezone: 'America/New_York', callingWindow: '17:00-20:00', scheduledAt: '2030-06-04T22:00:00.000Z' });
    const events = (await api.get(`/api/calls/${id}/events`)).body as { type: string; schemaVersion: number; data: Record<string, unknown> }[];
    expect(events.map((e) => e.type)).toEqual(['CallScheduled', 'CallRescheduled', 'CallRescheduled']);
    expect(events[1]).toMatchObject({ schemaVersion: 3, data: { timezone: 'America/New_York', callingWindow: '17:00-20:00' } });
    expect(events[2].data).not.toHaveProperty('timezone');
    expect(events[2].data).not.toHaveProperty('callingWindow');

    // A zone that does not exist, or a window that does not parse: 400 naming the field, nothing recorded.
    const badZone = await api.patch(`/api/calls/${id}`, { scheduledAt: '2030-06-04T18:00', timezone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(Object.keys(badZone.body.fields as object)).toEqual(['timezone']);
    const badWindow = await api.patch(`/api/calls/${id}`, { scheduledAt: '2030-06-04T18:00', callingWindow: 'after lunch' });
    expect(badWindow.status).toBe(400);
    expect(Object.keys(badWindow.body.fields as object)).toEqual(['callingWindow']);
    expect(((await api.get(`/api/calls/${id}/events`)).body as unknown[]).length).toBe(3);
  });

  it('refuses an offset that contradicts the time zone with a 400 naming both fields, writing nothing', async () => {
    const res = await api.post('/api/calls', { phoneNumber: phoneNumber(7003), scheduledAt: '2030-12-01T09:30:00+02:00', timezone: 'Europe/Paris' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields as object).sort()).toEqual(['scheduledAt', 'timezone']);
    expect(res.body.message).toContain('+02:00');
    expect(res.body.message).toContain('Europe/Paris');
    const window = await api.post('/api/calls', { phoneNumber: phoneNumber(7003), callingWindow: 'after lunch' });
    expect(window.status).toBe(400);
    expect(Object.keys(window.body.fields as object)).toEqual(['callingWindow']);
    const local = await api.post('/api/calls', { phoneNumber: phoneNumber(7003), scheduledAt: '2030-12-01T09:30' });
    expect(local.status).toBe(400);
    expect(Object.keys(local.body.fields as object).sort()).toEqual(['scheduledAt', 'timezone']);
    // Nothing was written for that number (other calls of this file may still be moving meanwhile).
    const scheduledEvents = ((await api.get('/api/events?after=0&limit=1000')).body as { type: string; data: { phoneNumber?: string } }[]).filter(
      (e) => e.type === 'CallScheduled' && e.data.phoneNumber === phoneNumber(7003),
    );
    expect(scheduledEvents).toEqual([]);
  });

  it('filters history by several statuses, a group, and a partial or national-format number', async () => {
    // One call completes (any-time window), two are cancelled.
    const done = await api.post('/api/calls', { phoneNumber: '+44 20 7946 0958', callingWindow: 'any' });
    const cancelled = [];
    for (const n of [7101, 7102]) {
      const call = await api.post('/api/calls', { phoneNumber: phoneNumber(n), scheduledAt: new Date(Date.now() + 3_600_000).toISOString() });
      cancelled.push((await api.delete(`/api/calls/${call.body.id}`)).body.id as string);
    }
    const completed = await eventually(async () => {
      const { body } = await api.get(`/api/calls/${done.body.id}`);
      return body.status === 'completed' ? body : undefined;
    }, 15_000);
    expect(completed.duration).toEqual(expect.any(Number));
    expect(completed.connectedAt).toEqual(expect.any(String));

    const ids = async (query: string) => ((await api.get(`/api/calls/history?limit=500&${query}`)).body.items as { id: string }[]).map((c) => c.id);
    const both = await ids('status=completed,cancelled');
    expect(both).toEqual(expect.arrayContaining([done.body.id, ...cancelled]));
    expect(await ids('status=cancelled')).not.toContain(done.body.id);
    expect(await ids('status=in-progress')).not.toContain(done.body.id);
    expect(await ids('status=ended')).toEqual(expect.arrayContaining([done.body.id, ...cancelled]));
    // Partial international, national format with its trunk 0, partial digits.
    expect(await ids(`phone=${encodeURIComponent('+44 20 7946')}`)).toEqual([done.body.id]);
    expect(await ids(`phone=${encodeURIComponent('020 7946 0958')}`)).toEqual([done.body.id]);
    expect(await ids('phone=2007101')).toEqual([cancelled[0]]);
    expect(await ids(`phone=2007101&status=completed`)).toEqual([]);

    for (const [query, field] of [
      ['status=done', 'status'],
      ['status=pending', 'status'],
      ['status=completed,', 'status'],
      ['phone=12', 'phone'],
      ['phone=abc', 'phone'],
    ]) {
      const res = await api.get(`/api/calls/history?${query}`);
      expect({ query, status: res.status, fields: Object.keys((res.body.fields ?? {}) as object) }).toEqual({ query, status: 400, fields: [field] });
    }
    const pending = await api.get(`/api/calls/pending?phone=${encodeURIComponent('(415) 200-7')}`);
    expect(pending.status).toBe(200);
  }, 30_000);
});
