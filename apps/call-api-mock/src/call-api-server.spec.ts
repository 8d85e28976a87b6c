import type { AddressInfo } from 'node:net';
import { createCallApiServer, type CallApiServer } from './call-api-server.js';
import type { CallSnapshot as Call } from './call-registry.js';
import type { MockBehaviour } from './mock-options.js';

// Real HTTP against the stand-in on an ephemeral port. Stage boundaries use a fake clock so they are
// exact; one test lets the real clock run with a small time scale.

const PHONE = '+14155550100';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const started: CallApiServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((mock) => mock.close()));
});

async function start(options: Partial<MockBehaviour> = {}, clock?: () => number) {
  const mock = createCallApiServer(options, { clock });
  started.push(mock);
  await new Promise<void>((resolve) => mock.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (id: string) => fetch(`${url}/api/call/${id}`);
  const callOf = async (res: Response) => ((await res.json()) as { call: Call }).call;
  const dials = async () => (await fetch(`${url}/__mock/dials`)).json() as Promise<{ total: number; byNumber: Record<string, number> }>;
  return { mock, url, post, get, callOf, dials };
}

function fakeClock() {
  let micros = Date.now() * 1000;
  return { now: () => micros, advance: (ms: number) => void (micros += ms * 1000) };
}

describe('POST /api/call', () => {
  it('answers 201 {"success": true, "call": CALL} with sorted keys, a UUID and microsecond local timestamps', async () => {
    const { post } = await start();
    const res = await post({ phone_number: PHONE });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    expect(text.endsWith('}\n')).toBe(true);
    const body = JSON.parse(text) as { success: boolean; call: Call };
    expect(Object.keys(body)).toEqual(['call', 'success']);
    expect(Object.keys(body.call)).toEqual(['created_at', 'duration', 'id', 'phone_number', 'status', 'updated_at']);
    expect(body.success).toBe(true);
    expect(body.call).toMatchObject({ phone_number: PHONE, status: 'initiated', duration: null });
    expect(body.call.id).toMatch(UUID_V4);
    expect(body.call.created_at).toMatch(TIMESTAMP);
    expect(body.call.updated_at).toBe(body.call.created_at);
    // Local wall-clock time: read back without an offset, it is "now".
    expect(Math.abs(new Date(body.call.created_at).getTime() - Date.now())).toBeLessThan(5000);
  });

  it('answers 400 "phone_number is required" when the key is missing', async () => {
    const { post } = await start();
    for (const body of [{}, { phone: PHONE }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json');
      await expect(res.json()).resolves.toEqual({ error: 'phone_number is required' });
    }
  });

  it('answers 400 "Invalid phone number" when empty, null or shorter than 10 characters', async () => {
    const { post, dials } = await start();
    for (const phone_number of ['', null, '123456789']) {
      const res = await post({ phone_number });
      expect(res.status).toBe(400);
      await expect(res.json()).resolves.toEqual({ error: 'Invalid phone number' });
    }
    expect((await post({ phone_number: '1234567890' })).status).toBe(201);
    await expect(dials()).resolves.toEqual({ total: 1, byNumber: { '1234567890': 1 }, maxPerSecond: 1 });
  });

  it.each([
    ['bad JSON', 'application/json', '{"phone_number": ', 400, '<title>400 Bad Request</title>'],
    ['a non-JSON content type', 'text/plain', JSON.stringify({ phone_number: PHONE }), 415, '<title>415 Unsupported Media Type</title>'],
    ['a non-string phone number', 'application/json', '{"phone_number": 14155550100}', 500, '<title>500 Internal Server Error</title>'],
  ])('answers a Werkzeug HTML error page for %s', async (_case, type, body, status, title) => {
    const { url, dials } = await start();
    const res = await fetch(`${url}/api/call`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.startsWith(`<!doctype html>\n<html lang=en>\n${title}\n<h1>`)).toBe(true);
    await expect(dials()).resolves.toEqual({ total: 0, byNumber: {}, maxPerSecond: 0 });
  });

  it('starts a second call for a repeated POST, Idempotency-Key or not (the default)', async () => {
    const { post, callOf, dials } = await start();
    const first = await callOf(await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' }));
    const second = await callOf(await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' }));
    expect(second.id).not.toBe(first.id);
    await expect(dials()).resolves.toEqual({ total: 2, byNumber: { [PHONE]: 2 }, maxPerSecond: 2 });
  });
});

describe('GET /api/call/:id', () => {
  it('answers the current call, and 404 "Call not found" for an unknown id', async () => {
    const { post, get, callOf } = await start();
    const created = await callOf(await post({ phone_number: PHONE }));
    const res = await get(created.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { success: boolean; call: Call };
    expect(body.success).toBe(true);
    expect(body.call).toMatchObject({ id: created.id, phone_number: PHONE, created_at: created.created_at });

    const missing = await get('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    await expect(missing.json()).resolves.toEqual({ error: 'Call not found' });
  });

  it('moves the status on the real timers: ringing at 2 s, connected at 5 s, completed with duration 10 at 10 s', async () => {
    const clock = fakeClock();
    const { post, get, callOf } = await start({}, clock.now);
    const { id, created_at } = await callOf(await post({ phone_number: PHONE }));
    const at = async (ms: number) => {
      clock.advance(ms);
      const { status, duration } = await callOf(await get(id));
      return [status, duration];
    };
    await expect(at(1999)).resolves.toEqual(['initiated', null]);
    await expect(at(1)).resolves.toEqual(['ringing', null]);
    await expect(at(3000)).resolves.toEqual(['connected', null]);
    await expect(at(4999)).resolves.toEqual(['connected', null]);
    await expect(at(1)).resolves.toEqual(['completed', 10]);
    const done = await callOf(await get(id));
    expect(new Date(done.updated_at).getTime() - new Date(created_at).getTime()).toBe(10_000);
  });

  it('runs the timers on the real clock, shortened by timeScale', async () => {
    const { post, get, callOf } = await start({ timeScale: 0.02 }); // completes after 200 ms
    const { id } = await callOf(await post({ phone_number: PHONE }));
    await new Promise((resolve) => setTimeout(resolve, 260));
    await expect(callOf(await get(id))).resolves.toMatchObject({ status: 'completed', duration: 10 });
  });

  it.each(['busy', 'no-answer', 'failed'] as const)('ends calls as %s with duration 0 after ringing', async (outcome) => {
    const clock = fakeClock();
    const { post, get, callOf } = await start({ outcome }, clock.now);
    const { id } = await callOf(await post({ phone_number: PHONE }));
    clock.advance(2000);
    await expect(callOf(await get(id))).resolves.toMatchObject({ status: 'ringing', duration: null });
    clock.advance(3000);
    await expect(callOf(await get(id))).resolves.toMatchObject({ status: outcome, duration: 0 });
  });

  it('ends calls with every outcome in random mode, reproducibly for a seed', async () => {
    const endings = async () => {
      const { post, callOf } = await start({ outcome: 'random', seed: 99, timeScale: 0 });
      const statuses: string[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await callOf(await post({ phone_number: PHONE }))).status);
      return statuses;
    };
    const first = await endings();
    expect(new Set(first)).toEqual(new Set(['completed', 'busy', 'no-answer', 'failed']));
    await expect(endings()).resolves.toEqual(first);
  });

  it('forgets calls forgetAfterMs after creation, like a provider restart', async () => {
    const clock = fakeClock();
    const { post, get, callOf } = await start({ forgetAfterMs: 60_000 }, clock.now);
    const { id } = await callOf(await post({ phone_number: PHONE }));
    clock.advance(59_999);
    expect((await get(id)).status).toBe(200);
    clock.advance(1);
    expect((await get(id)).status).toBe(404);
  });
});

describe('other routes', () => {
  it('answers GET /health with {"status": "healthy"}', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ status: 'healthy' });
  });

  it('answers unknown routes with a 404 HTML page and wrong methods with 405', async () => {
    const { url } = await start();
    for (const path of ['/api/calls', '/api/call/', '/api/call/a/b']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await expect(res.text()).resolves.toContain('<title>404 Not Found</title>');
    }
    const res = await fetch(`${url}/api/call`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('OPTIONS, POST');
    await expect(res.text()).resolves.toContain('<title>405 Method Not Allowed</title>');
  });

  it('answers CORS preflights', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/call`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4200', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('idempotent mode', () => {
  it('returns the first call for a repeated Idempotency-Key without dialling again', async () => {
    const { post, callOf, dials } = await start({ idempotent: true });
    const first = await post({ phone_number: PHONE }, { 'Idempotency-Key': 'call-1:1' });
    const again = await post({ phone_number: PHONE }, { 'Idempotency-Key': 'call-1:1' });
    expect(again.status).toBe(201);
    const [a, b] = [await callOf(first), await callOf(again)];
    expect(b.id).toBe(a.id);
    const other = await callOf(await post({ phone_number: PHONE }, { 'Idempotency-Key': 'call-1:2' }));
    expect(other.id).not.toBe(a.id);
    const unkeyed = await callOf(await post({ phone_number: PHONE }));
    expect(unkeyed.id).not.toBe(a.id);
    await expect(dials()).resolves.toMatchObject({ total: 3, byNumber: { [PHONE]: 3 } });
  });

  it('refuses a key reused for another phone number with 422', async () => {
    const { post, dials } = await start({ idempotent: true });
    await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' });
    const res = await post({ phone_number: '+442071838750' }, { 'Idempotency-Key': 'k' });
    expect(res.status).toBe(422);
    await expect(res.json()).resolves.toEqual({ error: 'Idempotency-Key was already used for another phone_number' });
    await expect(dials()).resolves.toMatchObject({ total: 1 });
  });
});

describe('fault injection', () => {
  it('failRate 1 answers 503 before dialling anybody', async () => {
    const { post, dials, mock } = await start({ failRate: 1 });
    const res = await post({ phone_number: PHONE });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    await expect(res.text()).resolves.toContain('<title>503 Service Unavailable</title>');
    await expect(dials()).resolves.toEqual({ total: 0, byNumber: {}, maxPerSecond: 0 });
    expect(mock.state.registry.size).toBe(0);
  });

  it('failStatus picks the refusal status, e.g. 429', async () => {
    const { post, dials } = await start({ failRate: 1, failStatus: 429 });
    const res = await post({ phone_number: PHONE });
    expect(res.status).toBe(429);
    await expect(res.text()).resolves.toContain('<title>429 Too Many Requests</title>');
    await expect(dials()).resolves.toMatchObject({ total: 0 });
  });

  it('failAfterDialRate 1 dials, then answers 500', async () => {
    const { post, dials, mock } = await start({ failAfterDialRate: 1 });
    const res = await post({ phone_number: PHONE });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await expect(dials()).resolves.toEqual({ total: 1, byNumber: { [PHONE]: 1 }, maxPerSecond: 1 });
    expect(mock.state.registry.size).toBe(1);
  });

  it('failAfterDialRate with an idempotent replay answers 500 again but never dials twice', async () => {
    const { post, callOf, dials, mock } = await start({ failAfterDialRate: 1, idempotent: true });
    expect((await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' })).status).toBe(500);
    expect((await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' })).status).toBe(500);
    mock.state.configure({ failAfterDialRate: 0 });
    const replay = await post({ phone_number: PHONE }, { 'Idempotency-Key': 'k' });
    expect(replay.status).toBe(201);
    // The one call placed by the first POST is the one the replay returns.
    expect(mock.state.registry.size).toBe(1);
    expect(mock.state.registry.find((await callOf(replay)).id)).toBeDefined();
    await expect(dials()).resolves.toEqual({ total: 1, byNumber: { [PHONE]: 1 }, maxPerSecond: 1 });
  });

  it('hangRate 1 dials and never answers; closing the server still works', async () => {
    const { post, dials, mock } = await start({ hangRate: 1 });
    const hung = fetch(`http://127.0.0.1:${(mock.server.address() as AddressInfo).port}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone_number: PHONE }),
      signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toThrow();
    await expect(dials()).resolves.toEqual({ total: 1, byNumber: { [PHONE]: 1 }, maxPerSecond: 1 });

    // Settles only when the server drops the socket; handled up front so no rejection goes unobserved.
    const stillHanging = post({ phone_number: PHONE }).then(
      () => 'answered',
      (error: unknown) => (error as Error).message,
    );
    while (mock.state.registry.dials().total < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const closedAt = Date.now();
    await new Promise<void>((resolve, reject) => mock.server.close((error) => (error ? reject(error) : resolve())));
    expect(Date.now() - closedAt).toBeLessThan(1000);
    await expect(stillHanging).resolves.toBe('fetch failed');
  });

  it('splits POSTs by the fault shares with one draw each', async () => {
    const { post, dials } = await start({ failRate: 0.3, failAfterDialRate: 0.2, seed: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await post({ phone_number: PHONE })).status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    expect(count(503)).toBeGreaterThan(40);
    expect(count(503)).toBeLessThan(80);
    expect(count(500)).toBeGreaterThan(20);
    expect(count(500)).toBeLessThan(60);
    expect(count(201) + count(500) + count(503)).toBe(200);
    await expect(dials()).resolves.toMatchObject({ total: count(201) + count(500) });
  });

  it('adds latencyMs before answering', async () => {
    const { post, url } = await start({ latencyMs: 150 });
    let startedAt = Date.now();
    expect((await post({ phone_number: PHONE })).status).toBe(201);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
    startedAt = Date.now();
    expect((await fetch(`${url}/api/call/unknown`)).status).toBe(404);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
  });
});

describe('admin API under /__mock/', () => {
  it('reads and merges the options, and refuses a bad key naming it', async () => {
    const { url } = await start();
    const config = async (body?: unknown) =>
      fetch(`${url}/__mock/config`, body === undefined ? {} : { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    await expect((await config()).json()).resolves.toMatchObject({ failRate: 0, outcome: 'completed', idempotent: false });

    const merged = await config({ outcome: 'busy', latencyMs: 5 });
    expect(merged.status).toBe(200);
    await expect(merged.json()).resolves.toMatchObject({ outcome: 'busy', latencyMs: 5, failRate: 0 });

    const bad = await config({ failRate: 2, colour: 'red' });
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as { error: string; invalid: string[] };
    expect(error.invalid.sort()).toEqual(['colour', 'failRate']);
    expect(error.error).toContain('failRate must be a number from 0 to 1');
    await expect((await config()).json()).resolves.toMatchObject({ outcome: 'busy', failRate: 0 });

    expect((await config('not json')).status).toBe(400);
  });

  it('flips behaviour at run time', async () => {
    const { url, post } = await start();
    expect((await post({ phone_number: PHONE })).status).toBe(201);
    await fetch(`${url}/__mock/config`, { method: 'POST', body: JSON.stringify({ failRate: 1, failStatus: 500 }) });
    expect((await post({ phone_number: PHONE })).status).toBe(500);
  });

  it('resets calls and dial counters', async () => {
    const { url, post, get, callOf, dials } = await start();
    const { id } = await callOf(await post({ phone_number: PHONE }));
    await expect(dials()).resolves.toMatchObject({ total: 1 });
    expect((await fetch(`${url}/__mock/reset`, { method: 'POST' })).status).toBe(204);
    await expect(dials()).resolves.toEqual({ total: 0, byNumber: {}, maxPerSecond: 0 });
    expect((await get(id)).status).toBe(404);
  });
});
