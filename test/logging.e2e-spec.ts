import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { eventually, phoneNumber, request } from './support/http.js';
import { logRecords, type LogRecord } from './support/logs.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// The logs an operator reads: JSON lines (stdout is a pipe here, as under systemd or Docker), one
// access line per request, the request id in the answer, the log and the events alike.
describe('structured logs and request ids', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2' });
    scheduler = await startScheduler({ callApiUrl: mock.url });
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await mock?.stop();
  });

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const accessLine = (requestId: string) => eventually(() => logRecords(scheduler.output()).find((r) => r.context === 'Access' && r.requestId === requestId));

  it('returns the X-Request-Id it was given, and logs and records the same id', async () => {
    const id = 'trace-42.checkout:7';
    const res = await request(scheduler.url, 'POST', '/api/calls', { phoneNumber: phoneNumber(4200), scheduledAt: inDays(30) }, { 'X-Request-Id': id });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(id);

    const line = await accessLine(id);
    expect(line).toMatchObject({ level: 'info', method: 'POST', route: '/api/calls', status: 201 });
    expect(typeof line.durationMs).toBe('number');

    const events = await request(scheduler.url, 'GET', `/api/calls/${res.body.id}/events`);
    expect(events.body[0].metadata.requestId).toBe(id);
  });

  it('logs the matched route pattern, not the path with its id', async () => {
    const res = await request(scheduler.url, 'GET', '/api/calls/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(id)).toMatchObject({ level: 'warn', method: 'GET', route: '/api/calls/:id', status: 404 });
  });

  it.each([
    ['spaces', 'two words'],
    ['a quote', 'id"injected'],
    ['too long', 'x'.repeat(129)],
    ['a newline escape', 'a\\nb'],
  ])('replaces a request id with %s by a fresh one', async (_, given) => {
    const res = await request(scheduler.url, 'GET', '/api/calls/pending', undefined, { 'X-Request-Id': given });
    const id = res.headers.get('x-request-id')!;
    expect(id).not.toBe(given);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(id)).toMatchObject({ route: '/api/calls/pending', status: 200 });
  });

  it('gives a request refused by the body checks (415) an id and an access line too', async () => {
    const res = await request(scheduler.url, 'POST', '/api/calls', 'phoneNumber=1', { 'content-type': 'text/plain', 'X-Request-Id': 'refused-1' });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-request-id')).toBe('refused-1');
    // Fastify routes before it reads the body: the route is known.
    expect(await accessLine('refused-1')).toMatchObject({ method: 'POST', route: '/api/calls', status: 415 });
  });

  it('never logs a query string (it may carry a token)', async () => {
    await request(scheduler.url, 'GET', '/api/nothing-here?access_token=s3cret-in-query', undefined, { 'X-Request-Id': 'query-1' });
    expect(await accessLine('query-1')).toMatchObject({ route: null, path: '/api/nothing-here', status: 404 });
    expect(scheduler.output()).not.toContain('s3cret-in-query');
  });

  it('logs a placed dial with its call id', async () => {
    const res = await request(scheduler.url, 'POST', '/api/calls', { phoneNumber: phoneNumber(4201) });
    expect(res.status).toBe(201);
    const line = await eventually(() => logRecords(scheduler.output()).find((r) => r.context === 'Dispatcher' && r.callId === res.body.id));
    expect(line).toMatchObject({ level: 'info', outcome: 'placed', attempt: 1 });
  });

  it('writes nothing but JSON lines, with no colour codes, start-up included', () => {
    const lines = scheduler
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(scheduler.output()).not.toContain('\x1b[');
    const notJson = lines.filter((line) => logRecords(line).length === 0);
    expect(notJson).toEqual([]);
    const records = logRecords(scheduler.output());
    for (const record of records) expect(record).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    // Nest's own start-up lines come through the same logger.
    expect(records).toContainEqual(expect.objectContaining({ context: 'RouterExplorer', msg: 'Mapped {/health, GET} route' }));
  });

  it('LOG_LEVEL=warn keeps info lines (access log of 2xx, start-up) out', async () => {
    const quiet = await startScheduler({ callApiUrl: mock.url, env: { LOG_LEVEL: 'warn' } });
    try {
      await request(quiet.url, 'GET', '/api/calls/pending', undefined, { 'X-Request-Id': 'quiet-ok' });
      await request(quiet.url, 'GET', '/api/calls/not-a-uuid', undefined, { 'X-Request-Id': 'quiet-bad' });
      await eventually(() => logRecords(quiet.output()).find((r) => r.requestId === 'quiet-bad'));
      const levels = new Set(logRecords(quiet.output()).map((r: LogRecord) => r.level));
      expect([...levels].filter((level) => level === 'info' || level === 'debug')).toEqual([]);
      expect(logRecords(quiet.output()).find((r) => r.requestId === 'quiet-ok')).toBeUndefined();
    } finally {
      await quiet.stop();
    }
  }, 30_000);
});
