import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber, type JsonResponse } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// The whole path over real HTTP between real processes: API → event log (SQLite file) →
// projections → dispatcher → Call API stand-in → status follower.
describe('scheduler API end to end', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // Time scale 0.2: initiated → ringing 0.4 s → connected 1 s → completed 2 s.
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2' });
    scheduler = await startScheduler({ callApiUrl: mock.url, env: { FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '400' } });
    api = client(scheduler.url);
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await mock?.stop();
  });

  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const logHead = async () => {
    const { body } = await api.get<{ position: number }[]>('/api/events?after=0&limit=1000');
    return body.length === 0 ? 0 : body[body.length - 1].position;
  };

  it('schedules a call, dispatches it on time and follows it to completed', async () => {
    const scheduledAt = inSeconds(2);
    const created = await api.post('/api/calls', { phoneNumber: '+1 (415) 555-0100', scheduledAt, timezone: 'America/Los_Angeles' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phoneNumber: '+14155550100', status: 'pending', scheduledAt, timezone: 'America/Los_Angeles', version: 1 });

    const pending = await api.get('/api/calls/pending?limit=500');
    expect(pending.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);

    const done = await eventually(async () => {
      const { body } = await api.get(`/api/calls/${created.body.id}`);
      return body.status === 'completed' ? body : undefined;
    }, 15_000);
    expect(done.attempts).toBe(1);
    expect(done.providerCallId).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.duration).toBe(10);
    // Dispatched within a second of its time (the timer, not the sweep, does this).
    expect(done.latenessMs).toBeGreaterThanOrEqual(0);
    expect(done.latenessMs).toBeLessThan(1000);

    const events = await api.get(`/api/calls/${created.body.id}/events`);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual([
      'CallScheduled',
      'CallDispatchStarted',
      'CallDispatched',
      'CallStatusChanged',
      'CallStatusChanged',
      'CallStatusChanged',
    ]);
    expect(events.body.filter((e: { type: string }) => e.type === 'CallStatusChanged').map((e: { data: { to: string } }) => e.data.to)).toEqual([
      'ringing',
      'connected',
      'completed',
    ]);
    expect(events.body[1].data.idempotencyKey).toBe(`${created.body.id}:1`);
    expect(events.body.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await mock.dials()).byNumber['+14155550100']).toBe(1);

    const history = await api.get('/api/calls/history?status=completed&phoneNumber=%2B14155550100');
    expect(history.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
  }, 30_000);

  it('answers bad input with a 4xx naming the field and leaves the log unchanged', async () => {
    const before = await logHead();
    const pendingCall = await api.post('/api/calls', { phoneNumber: phoneNumber(900), scheduledAt: inSeconds(3600) });
    const completedId = (await api.get('/api/calls/history?status=completed')).body.items[0]?.id;
    const afterSetup = await logHead();
    expect(afterSetup).toBe(before + 1);

    const cases: [string, () => Promise<JsonResponse>, number, string | null][] = [
      ['missing phone', () => api.post('/api/calls', {}), 400, 'phoneNumber'],
      ['invalid phone', () => api.post('/api/calls', { phoneNumber: '12345' }), 400, 'phoneNumber'],
      ['phone with letters', () => api.post('/api/calls', { phoneNumber: '+1415CALLNOW' }), 400, 'phoneNumber'],
      // A local time needs the zone it is local to: both inputs are named.
      [
        'time without offset or zone',
        () => api.post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: '2030-01-01T10:00:00' }),
        400,
        'scheduledAt,timezone',
      ],
      ['unparseable time', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: 'next tuesday' }), 400, 'scheduledAt'],
      ['impossible date', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: '2030-02-30T10:00:00Z' }), 400, 'scheduledAt'],
      ['time in the past', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: '2001-01-01T10:00:00Z' }), 400, 'scheduledAt'],
      ['unknown timezone', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), timezone: 'Mars/Olympus' }), 400, 'timezone'],
      ['unknown field', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), priority: 'high' }), 400, 'priority'],
      ['wrong-typed phone', () => api.post('/api/calls', { phoneNumber: 14155550100 }), 400, 'phoneNumber'],
      ['wrong-typed body', () => api.post('/api/calls', [{ phoneNumber: phoneNumber(1) }]), 400, 'body'],
      ['non-JSON body', () => api.post('/api/calls', '{"phoneNumber": '), 400, 'body'],
      ['oversize body', () => api.post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: 'x'.repeat(20_000) }), 413, null],
      ['bad Idempotency-Key', () => api.post('/api/calls', { phoneNumber: phoneNumber(1) }, { 'Idempotency-Key': 'has spaces in it' }), 400, 'Idempotency-Key'],
      ['unknown call id', () => api.get('/api/calls/6f1c1a44-5c1b-4f7e-9a51-5a4f1c7e2d10'), 404, null],
      ['not a call id', () => api.get('/api/calls/not-an-id'), 404, null],
      ['cancel unknown call', () => api.delete('/api/calls/6f1c1a44-5c1b-4f7e-9a51-5a4f1c7e2d10'), 404, null],
      [
        'reschedule without offset or zone',
        () => api.patch(`/api/calls/${pendingCall.body.id}`, { scheduledAt: '2030-01-01T10:00' }),
        400,
        'scheduledAt,timezone',
      ],
      [
        'reschedule with unknown field',
        () => api.patch(`/api/calls/${pendingCall.body.id}`, { scheduledAt: inSeconds(60), phoneNumber: phoneNumber(2) }),
        400,
        'phoneNumber',
      ],
      ['cancel a completed call', () => api.delete(`/api/calls/${completedId}`), 409, null],
      ['reschedule a completed call', () => api.patch(`/api/calls/${completedId}`, { scheduledAt: inSeconds(60) }), 409, null],
      ['dispatch a completed call', () => api.post(`/api/calls/${completedId}/dispatch`), 409, null],
      ['bad page limit', () => api.get('/api/calls/pending?limit=0'), 400, 'limit'],
      ['bad cursor', () => api.get('/api/calls/history?cursor=bm9wZQ'), 400, 'cursor'],
      ['bad status filter', () => api.get('/api/calls/history?status=exploded'), 400, 'status'],
      ['bad asOf', () => api.get(`/api/calls/${pendingCall.body.id}?asOf=yesterday`), 400, 'asOf'],
    ];
    for (const [name, send, status, field] of cases) {
      const res = await send();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.anything() });
      if (field) expect({ name, fields: Object.keys(res.body.fields ?? {}).sort() }).toEqual({ name, fields: field.split(',') });
    }
    expect(await logHead()).toBe(afterSetup);
  }, 30_000);

  it('returns the first result for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const body = { phoneNumber: phoneNumber(10), scheduledAt: inSeconds(3600) };
    const key = { 'Idempotency-Key': `order-${Date.now()}` };
    const first = await api.post('/api/calls', body, key);
    const again = await Promise.all([api.post('/api/calls', body, key), api.post('/api/calls', body, key)]);
    expect(first.status).toBe(201);
    for (const res of again) expect(res.body.id).toBe(first.body.id);
    const other = await api.post('/api/calls', { ...body, phoneNumber: phoneNumber(11) }, key);
    expect(other.status).toBe(422);
    const events = await api.get(`/api/calls/${first.body.id}/events`);
    expect(events.body).toHaveLength(1);
  });

  it('reschedules, cancels and dispatches pending calls, recording who did it', async () => {
    const a = (await api.post('/api/calls', { phoneNumber: phoneNumber(20), scheduledAt: inSeconds(3600) })).body;
    const later = inSeconds(7200);
    const moved = await api.patch(`/api/calls/${a.id}`, { scheduledAt: later });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'pending', scheduledAt: later, version: 2 });

    const cancelled = await api.delete(`/api/calls/${a.id}`, { reason: 'customer asked' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const cancelEvent = (await api.get(`/api/calls/${a.id}/events`)).body[2];
    // No key exists (the open API on loopback): the actor is "anonymous" (issue #12; it was "api").
    expect(cancelEvent).toMatchObject({ type: 'CallCancelled', data: { reason: 'customer asked' }, metadata: { actor: 'anonymous' } });

    const b = (await api.post('/api/calls', { phoneNumber: phoneNumber(21), scheduledAt: inSeconds(3600) }, { 'X-Actor': 'alice' })).body;
    const now = await api.post(`/api/calls/${b.id}/dispatch`);
    expect(now.status).toBe(202);
    const dialled = await eventually(async () => {
      const { body } = await api.get(`/api/calls/${b.id}`);
      return body.dispatchedAt ? body : undefined;
    });
    expect(dialled.attempts).toBe(1);
    const events = (await api.get(`/api/calls/${b.id}/events`)).body;
    // X-Actor is a note, not an identity (issue #12): the actor stays the caller's key (none here).
    expect(events[0].metadata).toMatchObject({ actor: 'anonymous', onBehalfOf: 'alice' });
    expect(events[1]).toMatchObject({ type: 'CallRescheduled', data: { reason: 'dispatch-now' } });
  }, 20_000);

  it('shows a call as it was at an earlier instant (asOf)', async () => {
    const call = (await api.post('/api/calls', { phoneNumber: phoneNumber(30), scheduledAt: inSeconds(3600) })).body;
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await api.delete(`/api/calls/${call.id}`);
    expect((await api.get(`/api/calls/${call.id}`)).body.status).toBe('cancelled');
    expect((await api.get(`/api/calls/${call.id}?asOf=${encodeURIComponent(between)}`)).body).toMatchObject({ status: 'pending', version: 1 });
    expect((await api.get(`/api/calls/${call.id}?asOf=2001-01-01T00:00:00Z`)).status).toBe(404);
  });

  it('pages through pending calls soonest first, each exactly once', async () => {
    const base = Date.now() + 86_400_000;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Scheduled in reverse order of creation: the page order must follow the time, not the insert.
      const scheduledAt = new Date(base + (25 - i) * 60_000).toISOString();
      ids.push((await api.post('/api/calls', { phoneNumber: phoneNumber(100 + i), scheduledAt })).body.id);
    }
    const seen: { id: string; nextAttemptAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: JsonResponse = await api.get(`/api/calls/pending?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const mine = seen.filter((c) => ids.includes(c.id));
    expect(mine).toHaveLength(25);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    const times = seen.map((c) => c.nextAttemptAt);
    expect([...times].sort()).toEqual(times);
  });

  it('lists history latest change first: a call cancelled now tops one scheduled a year later but cancelled before', async () => {
    const number = phoneNumber(777);
    const nextYear = await api.post('/api/calls', { phoneNumber: number, scheduledAt: inSeconds(365 * 86_400) });
    const tomorrow = await api.post('/api/calls', { phoneNumber: number, scheduledAt: inSeconds(86_400) });
    expect((await api.delete(`/api/calls/${nextYear.body.id}`)).status).toBe(200);
    // Change times have millisecond resolution: keep the two cancellations apart.
    await new Promise((r) => setTimeout(r, 5));
    expect((await api.delete(`/api/calls/${tomorrow.body.id}`)).status).toBe(200);

    const query = `/api/calls/history?phoneNumber=${encodeURIComponent(number)}`;
    const all = await api.get(query);
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual([tomorrow.body.id, nextYear.body.id]);
    // The keyset cursor follows the same order across pages.
    const first = await api.get(`${query}&limit=1`);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([tomorrow.body.id]);
    const second = await api.get(`${query}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([nextYear.body.id]);
    expect(second.body.nextCursor).toBeNull();
  }, 15_000);

  it('serves the global log as JSON pages and as an NDJSON stream', async () => {
    const page = await api.get('/api/events?after=0&limit=5');
    expect(page.body.map((e: { position: number }) => e.position)).toEqual([1, 2, 3, 4, 5]);
    const res = await fetch(`${scheduler.url}/api/events`, { headers: { Accept: 'application/x-ndjson' } });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { position: number });
    expect(lines.map((e) => e.position)).toEqual(lines.map((_, i) => i + 1));
  });

  it('describes every route in the OpenAPI document', async () => {
    const { status, body } = await api.get('/api/docs-json');
    expect(status).toBe(200);
    const paths = Object.keys(body.paths);
    for (const path of [
      '/api/calls',
      '/api/calls/pending',
      '/api/calls/history',
      '/api/calls/{id}',
      '/api/calls/{id}/events',
      '/api/calls/{id}/dispatch',
      '/api/events',
      '/health',
    ]) {
      expect(paths).toContain(path);
    }
    expect(Object.keys(body.paths['/api/calls'].post.responses)).toEqual(expect.arrayContaining(['201', '400']));
    expect(body.components.schemas.ScheduleCallDto.required).toContain('phoneNumber');
    const ui = await fetch(`${scheduler.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('reports its database in /health', async () => {
    const { status, body } = await api.get('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { database: { status: 'up', engine: 'sqlite' } } });
  });

  it('exposes Prometheus metrics derived from the committed events', async () => {
    const text = await (await fetch(`${scheduler.url}/metrics`)).text();
    const dispatched = Number(/^call_events_total\{type="CallDispatched"\} (\d+)$/m.exec(text)?.[1]);
    expect(dispatched).toBeGreaterThanOrEqual(2);
    expect(Number(/^call_dispatch_lateness_seconds_count (\d+)$/m.exec(text)?.[1])).toBe(dispatched);
    expect(text).toMatch(/^calls_by_status\{status="completed"\} [1-9]/m);
    // The gauges read the services' figures when scraped (the Call API stand-in is up: circuit closed).
    expect(text).toMatch(/^call_dials_in_flight \d+$/m);
    expect(text).toMatch(/^calls_followed \d+$/m);
    expect(text).toMatch(/^call_api_up 1$/m);
  });
});
