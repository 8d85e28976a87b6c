import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { phoneNumber, request, type JsonResponse } from './support/http.js';
import { logText } from './support/logs.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Findings of issue #8 ("Found by fuzzing every route"), each pinned by a test, and the fuzz test
// itself so they stay fixed. One scheduler with AUTH_TOKEN set and a stand-in dashboard shell.
// Nothing here is ever due (every call is scheduled weeks ahead), so the log only changes when a
// request changes it, and the Call API stand-in is never dialled.

// AUTH_TOKEN must be 32 characters or more (issue #12).
const TOKEN = 'fuzz-secret-fuzz-secret-fuzz-secret';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const SHELL = '<!doctype html><title>dashboard shell for the fuzz tests</title>';
const YEAR_10000 = '9999-12-31T23:59:59-23:59';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('findings from fuzzing every route (issue #8)', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let pendingId: string;
  let cancelledId: string;

  /** With the token unless `headers` says otherwise. */
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(scheduler.url, method, path, body, { ...AUTH, ...headers });
  const anonymous = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => request(scheduler.url, method, path, body, headers);

  /** The position of the last event in the global log (0 when empty). */
  const logHead = async (): Promise<number> => {
    let head = 0;
    for (;;) {
      const { status, body } = await send('GET', `/api/events?after=${head}&limit=1000`);
      expect(status).toBe(200);
      const page = body as { position: number }[];
      if (page.length === 0) return head;
      head = page[page.length - 1].position;
      if (page.length < 1000) return head;
    }
  };

  /** `{statusCode, error, message[, fields]}` with a string message, as every error is. */
  const expectErrorShape = (res: JsonResponse, context: unknown = {}) => {
    const body = res.body as Record<string, unknown>;
    expect({ context, body }).toEqual({
      context,
      body: expect.objectContaining({ statusCode: res.status, error: expect.any(String), message: expect.any(String) }),
    });
    if (body.fields !== undefined) {
      for (const messages of Object.values(body.fields as Record<string, unknown>)) {
        const strings = Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === 'string');
        expect({ context, messages, strings }).toEqual({ context, messages, strings: true });
      }
    }
  };

  beforeAll(async () => {
    const dashboardDir = mkdtempSync(join(tmpdir(), 'cs-fuzz-dashboard-'));
    writeFileSync(join(dashboardDir, 'index.html'), SHELL);
    mock = await startCallApiMock();
    // A quick sweep, so that a call wrongly taken as due is dialled within the tests' time.
    scheduler = await startScheduler({ callApiUrl: mock.url, env: { AUTH_TOKEN: TOKEN, DASHBOARD_DIR: dashboardDir, DISPATCH_INTERVAL_MS: '100' } });
    const pending = await send('POST', '/api/calls', { phoneNumber: phoneNumber(8000), scheduledAt: inDays(30) });
    expect(pending.status).toBe(201);
    pendingId = pending.body.id;
    const cancelled = await send('POST', '/api/calls', { phoneNumber: phoneNumber(8001), scheduledAt: inDays(30) });
    expect((await send('DELETE', `/api/calls/${cancelled.body.id}`)).status).toBe(200);
    cancelledId = cancelled.body.id;
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await mock?.stop();
  });

  describe('1. the token is checked by route, not by the case of the path', () => {
    it('answers 401 without a token and normally with it, whatever the case of the path', async () => {
      const body = { phoneNumber: phoneNumber(8010), scheduledAt: inDays(30) };
      const before = await logHead();
      for (const [method, path] of [
        ['POST', '/API/calls'],
        ['GET', '/Api/calls/pending'],
        ['GET', '/api/CALLS/pending'],
        ['GET', '/api/calls/pending'],
        ['GET', '/API/Calls/Stats'],
        ['GET', `/API/calls/${pendingId}`],
        ['PATCH', `/Api/Calls/${pendingId}`],
        ['DELETE', `/API/CALLS/${pendingId}`],
        ['POST', `/api/calls/${pendingId}/DISPATCH`],
        ['GET', '/API/EVENTS?after=0'],
        ['GET', '/Api/Audit/Verify'],
      ]) {
        const res = await anonymous(method, path, method === 'GET' ? undefined : body);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
        expectErrorShape(res, { method, path });
        const wrong = await anonymous(method, path, method === 'GET' ? undefined : body, { Authorization: 'Bearer not-the-token' });
        expect({ method, path, status: wrong.status }).toEqual({ method, path, status: 401 });
      }
      expect(await logHead()).toBe(before);

      const created = await send('POST', '/API/calls', body);
      expect(created.status).toBe(201);
      for (const path of ['/Api/calls/pending?limit=500', '/api/CALLS/pending?limit=500']) {
        const res = await send('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
      }
    });

    // Issue #12: /metrics (call counts) needs a key too; /health stays the one public route.
    it('keeps /health open (the public route) and asks for the token on /metrics, in any case', async () => {
      for (const path of ['/health', '/HEALTH', '/Health/']) {
        const res = await anonymous('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.body).toMatchObject({ status: 'ok' });
      }
      for (const path of ['/metrics', '/METRICS']) {
        expect({ path, status: (await fetch(scheduler.url + path)).status }).toEqual({ path, status: 401 });
        const res = await fetch(scheduler.url + path, { headers: AUTH });
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(await res.text()).toMatch(/^# HELP /m);
      }
    });

    // Issue #12: the token never goes in a URL; the stream takes a single-use ticket instead.
    it('takes a stream ticket (not ?access_token=) on the SSE stream, and only a valid one', async () => {
      const open = async (path: string) => {
        const res = await fetch(scheduler.url + path);
        const result = { path, status: res.status, type: res.headers.get('content-type') ?? '' };
        await res.body?.cancel();
        return result;
      };
      const ticket = async () => encodeURIComponent((await send('POST', '/api/stream/tickets')).body.ticket);
      for (const path of [`/api/stream?ticket=${await ticket()}`, `/API/Stream?ticket=${await ticket()}`]) {
        const res = await open(path);
        expect(res).toEqual({ path, status: 200, type: expect.stringContaining('text/event-stream') });
      }
      for (const path of ['/api/stream', '/API/STREAM', '/api/stream?ticket=nope', `/api/stream?access_token=${TOKEN}`]) {
        expect(await open(path)).toMatchObject({ path, status: 401 });
      }
      expect((await anonymous('GET', `/api/calls/pending?access_token=${TOKEN}`)).status).toBe(401);
    });

    it('never answers an API path with the dashboard shell, whatever its case', async () => {
      const html = { Accept: 'text/html,application/xhtml+xml' };
      for (const path of ['/API/calls/pending', '/Api/calls/stats', '/api/CALLS/pending', '/API']) {
        const res = await anonymous('GET', path, undefined, html);
        expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
          path,
          status: path === '/API' ? 404 : 401,
          type: expect.stringContaining('application/json'),
        });
      }
      for (const [path, status] of [
        ['/HEALTH', 200],
        ['/Metrics', 401],
      ] as const) {
        const res = await anonymous('GET', path, undefined, html);
        expect({ path, status: res.status, isShell: res.body === SHELL }).toEqual({ path, status, isShell: false });
      }
      // Client-side routes still get the shell.
      const page = await anonymous('GET', '/pending', undefined, html);
      expect(page.body).toBe(SHELL);
    });
  });

  describe('2. times beyond year 9999 (or ten years ahead) are refused', () => {
    it(`answers 400 naming scheduledAt for ${YEAR_10000} and leaves the log unchanged`, async () => {
      const before = await logHead();
      const cases: [string, () => Promise<JsonResponse>][] = [
        ['schedule in year 10000', () => send('POST', '/api/calls', { phoneNumber: phoneNumber(8020), scheduledAt: YEAR_10000 })],
        ['reschedule to year 10000', () => send('PATCH', `/api/calls/${pendingId}`, { scheduledAt: YEAR_10000 })],
        ['offset past +14:00', () => send('POST', '/api/calls', { phoneNumber: phoneNumber(8021), scheduledAt: '2030-01-01T09:00:00+14:01' })],
        ['hour 24', () => send('POST', '/api/calls', { phoneNumber: phoneNumber(8022), scheduledAt: '2030-01-01T24:00:00Z' })],
        [
          'year 9999, a valid instant but not within ten years',
          () => send('POST', '/api/calls', { phoneNumber: phoneNumber(8023), scheduledAt: '9999-12-31T00:00:00Z' }),
        ],
        ['reschedule eleven years ahead', () => send('PATCH', `/api/calls/${pendingId}`, { scheduledAt: inDays(11 * 366) })],
      ];
      for (const [name, sendIt] of cases) {
        const res = await sendIt();
        expect({ name, status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({ name, status: 400, fields: ['scheduledAt'] });
        expectErrorShape(res, name);
      }
      const far = await send('POST', '/api/calls', { phoneNumber: phoneNumber(8023), scheduledAt: '9999-12-31T00:00:00Z' });
      expect(far.body.message).toBe('scheduledAt must be within 10 years from now');
      // Nothing was dialled "at once" either (a few sweeps later).
      await new Promise((r) => setTimeout(r, 500));
      expect(await logHead()).toBe(before);
      expect((await mock.dials()).total).toBe(0);
    });
  });

  describe('3. deeply nested JSON is refused early with a 400', () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

    it.each([
      ['POST', () => '/api/calls', (deep: string) => `{"phoneNumber":"${phoneNumber(8030)}","timezone":${deep}}`, 'timezone'],
      ['PATCH', () => `/api/calls/${pendingId}`, (deep: string) => `{"scheduledAt":${deep}}`, 'scheduledAt'],
      ['DELETE', () => `/api/calls/${pendingId}`, (deep: string) => `{"reason":{"why":${deep}}}`, 'reason'],
    ])('%s refuses a field nested 33 to 6,000 levels deep, naming the field', async (method, path, bodyOf, field) => {
      const before = await logHead();
      for (const depth of [1_600, 6_000, 33]) {
        const res = await send(method, path(), bodyOf(nested(field === 'reason' ? depth - 1 : depth)));
        expect({ depth, status: res.status }).toEqual({ depth, status: 400 });
        expectErrorShape(res, { method, depth });
        expect(res.body.fields).toEqual({ [field]: [`${field} is nested more than 32 levels deep`] });
      }
      // 32 levels is allowed by the depth check (and then refused by validation, as a string is expected).
      const shallow = await send(method, path(), bodyOf(nested(field === 'reason' ? 31 : 32)));
      expect(shallow.status).toBe(400);
      expect(shallow.body.fields[field][0]).not.toContain('nested');
      expect(await logHead()).toBe(before);
      expect(scheduler.output()).not.toContain('RangeError');
    });
  });

  describe('4. the start-up log names the paths that are served', () => {
    it('logs HealthController and MetricsController at /health and /metrics, which answer 200', async () => {
      const controllers = new Map<string, { path: string; routes: string[] }>();
      let current: { path: string; routes: string[] } | undefined;
      for (const line of logText(scheduler.output()).split('\n')) {
        const controller = /\[RoutesResolver\] (\w+) \{([^}]*)\}:/.exec(line);
        if (controller) controllers.set(controller[1], (current = { path: controller[2], routes: [] }));
        const route = /\[RouterExplorer\] Mapped (\{[^}]*\}) route/.exec(line);
        if (route) current?.routes.push(route[1]);
      }
      expect(controllers.get('HealthController')).toEqual({ path: '/health', routes: ['{/health, GET}'] });
      expect(controllers.get('MetricsController')).toEqual({ path: '/metrics', routes: ['{/metrics, GET}'] });
      expect(controllers.get('CallsController')?.path).toBe('/api/calls');
      // Every controller line names the prefix of the routes logged under it.
      for (const [name, { path, routes }] of controllers) {
        for (const route of routes) expect({ name, route }).toEqual({ name, route: expect.stringMatching(new RegExp(`^\\{${path}(/|,)`)) });
      }
      for (const path of ['/health', '/metrics']) {
        expect({ path, status: (await fetch(scheduler.url + path, { headers: AUTH })).status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('5. fuzzing every route', () => {
    it('refuses __proto__ and constructor keys like any unknown field (found by the fuzz test below)', async () => {
      const before = await logHead();
      const valid = `"phoneNumber":"${phoneNumber(8050)}","scheduledAt":"${inDays(30)}"`;
      for (const [method, path, body, field] of [
        ['POST', '/api/calls', `{${valid},"__proto__":{"scheduledAt":"2001-01-01T00:00:00Z"}}`, '__proto__'],
        ['POST', '/api/calls', `{${valid},"constructor":{"name":"x"}}`, 'constructor'],
        ['PATCH', `/api/calls/${pendingId}`, `{"scheduledAt":"${inDays(31)}","__proto__":{}}`, '__proto__'],
        ['DELETE', `/api/calls/${pendingId}`, '{"reason":"x","constructor":1}', 'constructor'],
      ]) {
        const res = await send(method, path, body);
        expect({ method, status: res.status, fields: res.body.fields }).toEqual({
          method,
          status: 400,
          fields: { [field]: [`property ${field} should not exist`] },
        });
        expectErrorShape(res, { method, field });
      }
      expect(await logHead()).toBe(before);
    });

    it('refuses a query parameter given twice with a 400 naming it (the SSE route answered 500; found by the fuzz test below)', async () => {
      for (const [path, key] of [
        ['/api/stream?lastEventId=&lastEventId=0', 'lastEventId'],
        ['/api/calls/pending?limit=1&limit=2', 'limit'],
        ['/api/events?after=1&after=2', 'after'],
      ]) {
        const res = await send('GET', path);
        expect({ path, status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({ path, status: 400, fields: [key] });
        expectErrorShape(res, path);
      }
    });

    // Any of these that is accepted schedules a call weeks ahead, never now (which would dial).
    const LATER = inDays(30);
    const NASTY_BODIES = [
      '',
      'null',
      'true',
      '0',
      '"text"',
      '[]',
      '{}',
      '{"phoneNumber":',
      '{"__proto__":{"phoneNumber":"+14155550100"}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `{"phoneNumber":"+14155550100","scheduledAt":"${LATER}","__proto__":{"scheduledAt":"2001-01-01T00:00:00Z"}}`,
      `{"phoneNumber":"+14155550100","scheduledAt":"${LATER}","__proto__":[[[[[[[[[]]]]]]]]]}`,
      '{"phoneNumber":1e999999}',
      '{"phoneNumber":123456789012345678901234567890123456789}',
      '{"phoneNumber":"+14155550100","scheduledAt":-1e308}',
      '{"phoneNumber":"\\ud800\\udfff\\ud800","timezone":"\\u0000"}',
      '{"phoneNumber":"\\u202e0010555514+","reason":"\\ufeff\\u200b"}',
      '{"phoneNumber":"+14155550100","phoneNumber":["+14155550100"]}',
      `{"reason":"${'x'.repeat(20_000)}"}`,
      `\ufeff{"phoneNumber":"+14155550100","scheduledAt":"${LATER}"}`,
      '{"scheduledAt":"+010000-01-01T00:00:00.000Z"}',
      `{"scheduledAt":"${YEAR_10000}"}`,
    ];
    const CONTENT_TYPES = [
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/merge-patch+json',
      'application/xml',
      undefined,
    ];
    const ODD_IDS = ['not-an-id', '%zz', '%00', '..%2f..%2fevents', 'a%2Fb', '%E0%A4%A', '00000000-0000-0000-0000-000000000000'];

    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
    const jsonValue = fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' });
    const field = fc.constantFrom('phoneNumber', 'scheduledAt', 'timezone', 'reason', '__proto__', 'constructor', 'prototype', 'toString', 'id', 'status');

    /** A body: arbitrary JSON, a valid body with one field replaced, deep nesting, or plain junk. */
    const bodyFor = (valid: Record<string, unknown>) =>
      fc.oneof(
        fc.json({ maxDepth: 4, stringUnit: 'grapheme' }),
        // Last, so that it replaces the valid value of a field already there (the last key wins).
        fc
          .tuple(field, jsonValue)
          .map(
            ([key, value]) =>
              `${JSON.stringify(valid).slice(0, -1)}${Object.keys(valid).length > 0 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}}`,
          ),
        fc
          .tuple(field, fc.integer({ min: 1, max: 6_000 }), fc.boolean())
          .map(
            ([key, depth, objects]) =>
              `{${JSON.stringify(key)}:${objects ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth)}}`,
          ),
        fc.constantFrom(...NASTY_BODIES),
        text,
      );

    interface Attempt {
      method: string;
      path: string;
      body?: string;
      contentType?: string;
      headers: Record<string, string>;
    }

    // Built inside the test: the call ids exist only once beforeAll has run.
    const id = (pendingToo: boolean) =>
      fc.oneof(
        fc.constant(cancelledId),
        ...(pendingToo ? [fc.constant(pendingId), fc.constant(pendingId.toUpperCase())] : []),
        fc.uuid(),
        fc.constantFrom(...ODD_IDS),
        text.map(encodeURIComponent),
      );
    const query = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('limit', 'cursor', 'status', 'phoneNumber', 'asOf', 'after', 'anchor', 'lastEventId', 'access_token', '__proto__', 'constructor'),
            text,
          ),
          fc.oneof(
            fc.constantFrom(
              '',
              '0',
              '-1',
              '1e309',
              'NaN',
              'Infinity',
              '9007199254740993',
              '500',
              '501',
              'pending',
              'completed',
              '+14155550100',
              YEAR_10000,
              '1:abc',
              '[]',
              'true',
            ),
            text,
            fc.integer().map(String),
            fc.double().map(String),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')));
    const headers = fc.record(
      {
        'Idempotency-Key': ascii,
        'X-Actor': ascii,
        'X-Request-Id': ascii,
        Authorization: fc.constantFrom(`Bearer ${TOKEN}`, `bearer ${TOKEN}`, 'Bearer', `Basic ${TOKEN}`),
      },
      { requiredKeys: [] },
    );
    const writes = (method: string, path: fc.Arbitrary<string>, valid: Record<string, unknown>) =>
      fc.record({
        method: fc.constant(method),
        path: path.chain((p) => fc.mixedCase(fc.constant(p))),
        body: fc.option(bodyFor(valid), { nil: undefined, freq: 8 }),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        headers,
      });
    const attempts = (): fc.Arbitrary<Attempt> =>
      fc.oneof(
        writes('POST', fc.constant('/api/calls'), { phoneNumber: phoneNumber(8040), scheduledAt: inDays(30) }),
        writes(
          'PATCH',
          id(true).map((i) => `/api/calls/${i}`),
          { scheduledAt: inDays(31) },
        ),
        writes(
          'DELETE',
          id(true).map((i) => `/api/calls/${i}`),
          { reason: 'fuzz' },
        ),
        // Never a pending call here: a successful dispatch would dial, and the log would move by itself.
        writes(
          'POST',
          id(false).map((i) => `/api/calls/${i}/dispatch`),
          {},
        ),
        fc.record({
          method: fc.constant('GET'),
          path: fc
            .tuple(
              fc.oneof(
                fc.constantFrom(
                  '/api/calls/pending',
                  '/api/calls/history',
                  '/api/calls/stats',
                  '/api/events',
                  '/api/audit/verify',
                  '/api/stream',
                  '/health',
                  '/metrics',
                ),
                id(true).map((i) => `/api/calls/${i}`),
                id(true).map((i) => `/api/calls/${i}/events`),
              ),
              query,
            )
            .chain(([p, q]) => fc.mixedCase(fc.constant(p)).map((cased) => cased + q)),
          headers,
        }),
      );

    it('never answers 5xx, always answers errors in the error shape, and rejected requests leave the log unchanged', async () => {
      const seen = new Map<number, number>();
      const property = fc.assert(
        fc.asyncProperty(attempts(), async (a) => {
          const before = await logHead();
          const requestHeaders: Record<string, string> = { ...AUTH, ...a.headers };
          if (a.contentType !== undefined) requestHeaders['content-type'] = a.contentType;
          // A Uint8Array body: fetch adds no Content-Type of its own.
          const res = await fetch(scheduler.url + a.path, {
            method: a.method,
            headers: requestHeaders,
            body: a.body === undefined ? undefined : new TextEncoder().encode(a.body),
          });
          const type = res.headers.get('content-type') ?? '';
          // The live feed never ends: its status and type are the answer.
          const raw = type.includes('text/event-stream') ? (await res.body?.cancel(), '') : await res.text();
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const context = { ...a, body: a.body?.slice(0, 200), status: res.status, answer: raw.slice(0, 300) };
          expect({ context, serverError: res.status >= 500 }).toEqual({ context, serverError: false });
          if (res.status >= 400) {
            expect({ context, type }).toEqual({ context, type: expect.stringContaining('application/json') });
            expectErrorShape({ status: res.status, body: JSON.parse(raw), headers: res.headers }, context);
            // Compared as the events appended since, so a failure shows what was written.
            const appended = (await send('GET', `/api/events?after=${before}&limit=10`)).body;
            expect({ context, appended }).toEqual({ context, appended: [] });
          }
        }),
        {
          numRuns: Number(process.env.FUZZ_RUNS ?? 150),
          plugins: [fc.interruptAfterTimeLimit(45_000)],
          ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {}),
        },
      );
      await property.catch((caught: unknown) => {
        const error = caught as Error;
        // Whatever the scheduler said last (a crash, an error log) belongs with the counterexample.
        const exit = scheduler.child.exitCode ?? scheduler.child.signalCode;
        error.message += `\n\nscheduler ${exit === null ? 'still running' : `exited (${exit})`}; its last output:\n${logText(scheduler.output()).slice(-3000)}`;
        throw error;
      });
      // The run exercised both sides: some requests were refused and some were served.
      const statuses = [...seen.keys()];
      expect(statuses.some((s) => s >= 400)).toBe(true);
      expect(statuses.some((s) => s < 300)).toBe(true);
      expect(logText(scheduler.output())).not.toMatch(/ERROR.*\[ApiExceptionFilter\]|RangeError/);
      expect((await mock.dials()).total).toBe(0);
    }, 60_000);
  });
});
