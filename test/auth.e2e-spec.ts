import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { phoneNumber, request } from './support/http.js';
import { freePort, startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Identity, roles and inbound protection (issue #12), against the built scheduler and the keys
// CLI as real processes sharing one SQLite file.

const ROOT = resolve(import.meta.dirname, '..');
const KEYS_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/keys.js');
const MAIN = join(ROOT, 'dist/apps/scheduler-api/src/main.js');
const run = promisify(execFile);

const freshDatabase = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'cs-auth-')), 'calls.db')}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** `npm run keys -- create …` as its own process; the key is on the last line of its output. */
async function createKey(databaseUrl: string, name: string, role: string): Promise<string> {
  const { stdout } = await run(process.execPath, [KEYS_CLI, 'create', '--name', name, '--role', role], {
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl },
  });
  const lines = stdout.trim().split('\n');
  expect(lines[0]).not.toContain(lines[lines.length - 1]);
  return lines[lines.length - 1];
}

/** Reads a Server-Sent Events answer until the first `event: ready`, then hangs up. */
async function openStream(url: string): Promise<{ status: number; ready: boolean }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (res.status !== 200) return { status: res.status, ready: false };
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 5000;
  while (!text.includes('event: ready') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  return { status: res.status, ready: text.includes('event: ready') };
}

describe('API keys, roles and inbound protection', () => {
  let mock: CallApiMockProcess;

  beforeAll(async () => {
    mock = await startCallApiMock();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  describe('with keys from the CLI', () => {
    let scheduler: SchedulerProcess;
    let databaseUrl: string;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      databaseUrl = freshDatabase();
      keys.viewer = await createKey(databaseUrl, 'vera', 'viewer');
      keys.operator = await createKey(databaseUrl, 'otto', 'operator');
      keys.admin = await createKey(databaseUrl, 'ada', 'admin');
      scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl });
      // Three CLI processes and a service start here: seconds on a busy machine.
    }, 60_000);
    afterAll(async () => {
      await scheduler?.stop();
    });

    const send = (method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) =>
      request(scheduler.url, method, path, body, { ...(key ? bearer(key) : {}), ...headers });
    const schedule = async () => {
      const res = await send('POST', '/api/calls', keys.operator, { phoneNumber: phoneNumber(1), scheduledAt: inDays(7) });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    it('lists keys with the CLI without ever printing them, and refuses a second live key with one name', async () => {
      const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl };
      const { stdout } = await run(process.execPath, [KEYS_CLI, 'list'], { env });
      expect(stdout).toMatch(/vera\s+viewer/);
      expect(stdout).toMatch(/otto\s+operator/);
      for (const key of Object.values(keys)) expect(stdout).not.toContain(key);
      await expect(run(process.execPath, [KEYS_CLI, 'create', '--name', 'vera', '--role', 'admin'], { env })).rejects.toMatchObject({ code: 1 });
    });

    it('asks for a key on every API route, /metrics and /api/docs; /health stays open', async () => {
      for (const path of ['/api/calls/pending', '/api/events', '/metrics', '/api/docs', '/api/docs-json']) {
        expect({ path, status: (await send('GET', path, null)).status }).toEqual({ path, status: 401 });
        expect({ path, status: (await send('GET', path, 'csk_wrong')).status }).toEqual({ path, status: 401 });
      }
      expect((await send('GET', '/health', null)).status).toBe(200);
      expect((await send('GET', '/metrics', keys.viewer)).status).toBe(200);
      expect((await send('GET', '/api/docs-json', keys.viewer)).status).toBe(200);
      // A browser opening the docs: HTTP Basic, any user name, the key as password.
      const basic = Buffer.from(`me:${keys.viewer}`).toString('base64');
      expect((await send('GET', '/api/docs-json', null, undefined, { Authorization: `Basic ${basic}` })).status).toBe(200);
    });

    it('a viewer reads but cannot cancel (403); an operator can', async () => {
      const id = await schedule();
      expect((await send('GET', `/api/calls/${id}`, keys.viewer)).status).toBe(200);
      const refused = await send('DELETE', `/api/calls/${id}`, keys.viewer);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('operator') });
      expect((await send('POST', '/api/calls', keys.viewer, { phoneNumber: phoneNumber(2) })).status).toBe(403);
      expect((await send('GET', '/api/calls/' + id, keys.viewer)).body.status).toBe('pending');
      expect((await send('DELETE', `/api/calls/${id}`, keys.operator)).status).toBe(200);
    });

    it("records the key's name as the actor whatever X-Actor says; X-Actor lands in onBehalfOf", async () => {
      const id = await schedule();
      const cancelled = await send('DELETE', `/api/calls/${id}`, keys.operator, { reason: 'asked' }, { 'X-Actor': 'bob' });
      expect(cancelled.status).toBe(200);
      const events = (await send('GET', `/api/calls/${id}/events`, keys.viewer)).body as { type: string; metadata: Record<string, unknown> }[];
      expect(events[0].metadata).toMatchObject({ actor: 'otto' });
      expect(events[0].metadata.onBehalfOf).toBeUndefined();
      expect(events.find((e) => e.type === 'CallCancelled')!.metadata).toMatchObject({ actor: 'otto', onBehalfOf: 'bob' });
    });

    it('keys and audit are for admins; an admin issues a key that works at once and revokes it: 401 at once', async () => {
      expect((await send('GET', '/api/keys', keys.operator)).status).toBe(403);
      expect((await send('GET', '/api/audit/verify', keys.operator)).status).toBe(403);
      expect((await send('GET', '/api/audit/verify', keys.admin)).status).toBe(200);
      const bad = await send('POST', '/api/keys', keys.admin, { name: 'no spaces', role: 'root' });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.fields).sort()).toEqual(['name', 'role']);

      const issued = await send('POST', '/api/keys', keys.admin, { name: 'temp', role: 'operator' });
      expect(issued.status).toBe(201);
      const temp = issued.body.key as string;
      expect((await send('POST', '/api/keys', keys.admin, { name: 'temp', role: 'viewer' })).body).toMatchObject({
        statusCode: 409,
        code: 'API_KEY_NAME_TAKEN',
      });
      expect((await send('GET', '/api/calls/pending', temp)).status).toBe(200);
      const listed = (await send('GET', '/api/keys', keys.admin)).body as Record<string, unknown>[];
      expect(listed.find((k) => k.name === 'temp')).toEqual({ name: 'temp', role: 'operator', createdAt: expect.any(String), revokedAt: null });
      expect(JSON.stringify(listed)).not.toContain(temp);

      expect((await send('DELETE', '/api/keys/temp', keys.admin)).status).toBe(200);
      const after = await send('GET', '/api/calls/pending', temp);
      expect(after.status).toBe(401);
      expect(after.body.message).toContain('revoked');
      expect((await send('DELETE', '/api/keys/temp', keys.admin)).body).toMatchObject({ statusCode: 404, code: 'API_KEY_NOT_FOUND' });
    });

    it('a key revoked with the CLI (another process) is refused within a second', async () => {
      const key = await createKey(databaseUrl, 'cli-temp', 'viewer');
      expect((await send('GET', '/api/calls/pending', key)).status).toBe(200);
      await run(process.execPath, [KEYS_CLI, 'revoke', 'cli-temp'], { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl } });
      await new Promise((r) => setTimeout(r, 1100));
      expect((await send('GET', '/api/calls/pending', key)).status).toBe(401);
    });

    it('the live feed takes a single-use ticket, never the key, in the URL', async () => {
      const { status, body } = await send('POST', '/api/stream/tickets', keys.viewer);
      expect(status).toBe(201);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
      const url = `${scheduler.url}/api/stream?ticket=${encodeURIComponent(body.ticket)}`;
      expect(await openStream(url)).toEqual({ status: 200, ready: true });
      expect((await openStream(url)).status).toBe(401); // used
      expect((await openStream(`${scheduler.url}/api/stream?ticket=${body.ticket.slice(0, -2)}xx`)).status).toBe(401);
      expect((await openStream(`${scheduler.url}/api/stream?access_token=${keys.viewer}`)).status).toBe(401);
      // A ticket opens the stream only: it is no key anywhere else.
      const other = (await send('POST', '/api/stream/tickets', keys.viewer)).body.ticket as string;
      expect((await send('GET', `/api/events?ticket=${encodeURIComponent(other)}`, null)).status).not.toBe(200);
    });

    it("a revoked key's ticket dies with it", async () => {
      const key = (await send('POST', '/api/keys', keys.admin, { name: 'streamer', role: 'viewer' })).body.key as string;
      const ticket = (await send('POST', '/api/stream/tickets', key)).body.ticket as string;
      await send('DELETE', '/api/keys/streamer', keys.admin);
      expect((await openStream(`${scheduler.url}/api/stream?ticket=${encodeURIComponent(ticket)}`)).status).toBe(401);
    });

    it('counts and logs failed authentications by reason, never the key', async () => {
      await send('GET', '/api/calls/pending', 'csk_not-a-key-at-all');
      const metrics = (await send('GET', '/metrics', keys.viewer)).body as string;
      expect(metrics).toMatch(/auth_failures_total\{reason="invalid"\} [1-9]/);
      expect(metrics).toMatch(/auth_failures_total\{reason="missing"\} [1-9]/);
      expect(metrics).toMatch(/auth_failures_total\{reason="forbidden"\} [1-9]/);
      expect(scheduler.output()).toMatch(/authentication failed \(invalid\) from 127\.0\.0\.1: GET \/api\/calls\/pending/);
      expect(scheduler.output()).not.toContain('csk_not-a-key-at-all');
    });

    it('sends security headers, no X-Powered-By, and no CORS without CORS_ORIGINS', async () => {
      for (const path of ['/health', '/api/calls/pending']) {
        const res = await send('GET', path, keys.viewer, undefined, { Origin: 'https://evil.example' });
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-powered-by')).toBeNull();
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });

  it('a burst from one key gets 429 with Retry-After; other keys and addresses keep their budget', async () => {
    const databaseUrl = freshDatabase();
    const burst = await createKey(databaseUrl, 'burst', 'viewer');
    const calm = await createKey(databaseUrl, 'calm', 'viewer');
    const scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env: { RATE_LIMIT_PER_MINUTE: '20' } });
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, () => request(scheduler.url, 'GET', '/api/calls/pending', undefined, bearer(burst))));
      const limited = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
      expect(limited).toHaveLength(20);
      expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited[0].body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('this key') });
      expect((await request(scheduler.url, 'GET', '/api/calls/pending', undefined, bearer(calm))).status).toBe(200);
      // Wrong keys count against the address: a guessing flood is throttled too.
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => request(scheduler.url, 'GET', '/api/calls/pending', undefined, bearer(`csk_guess${i}`))),
      );
      expect(guesses.filter((g) => g.status === 401)).toHaveLength(20);
      expect(guesses.filter((g) => g.status === 429)).toHaveLength(10);
      expect((await request(scheduler.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await scheduler.stop();
    }
  });

  it('with CORS_ORIGINS, lets those origins use every method and read X-Request-Id; other origins get no CORS', async () => {
    const scheduler = await startScheduler({ callApiUrl: mock.url, env: { CORS_ORIGINS: 'https://ops.example' } });
    try {
      const preflight = (origin: string, method: string) =>
        fetch(`${scheduler.url}/api/calls/00000000-0000-4000-8000-000000000000`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
        });
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
        const res = await preflight('https://ops.example', method);
        expect({ method, status: res.status, origin: res.headers.get('access-control-allow-origin') }).toEqual({
          method,
          status: 204,
          origin: 'https://ops.example',
        });
        expect(res.headers.get('access-control-allow-methods')).toContain(method);
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/i);
      }
      const read = await fetch(`${scheduler.url}/api/calls/pending`, { headers: { Origin: 'https://ops.example' } });
      expect(read.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
      expect((await preflight('https://evil.example', 'PATCH')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await scheduler.stop();
    }
  }, 30_000);

  describe('start-up', () => {
    const startRaw = async (env: Record<string, string>) => {
      const port = await freePort();
      const child = spawn(process.execPath, [MAIN], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), DATABASE_URL: freshDatabase(), CALL_API_URL: mock.url, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const code = await new Promise<number | null>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', (c) => {
          clearTimeout(timer);
          done(c);
        });
      });
      return { code, output };
    };

    it('refuses to listen on 0.0.0.0 with no key and no AUTH_TOKEN', async () => {
      const { code, output } = await startRaw({ HOST: '0.0.0.0' });
      expect(code).toBe(1);
      expect(output).toContain('refusing to listen on 0.0.0.0');
      expect(output).toContain('ALLOW_OPEN_API=true');
    });

    it('refuses an AUTH_TOKEN shorter than 32 characters, naming the variable', async () => {
      const { code, output } = await startRaw({ AUTH_TOKEN: 'too-short' });
      expect(code).toBe(1);
      expect(output).toContain('AUTH_TOKEN must be at least 32 characters');
      expect(output).not.toContain('too-short');
    });

    it('starts on 0.0.0.0 with ALLOW_OPEN_API=true, acting as anonymous', async () => {
      const scheduler = await startScheduler({ callApiUrl: mock.url, env: { HOST: '0.0.0.0', ALLOW_OPEN_API: 'true' } });
      try {
        const created = await request(scheduler.url, 'POST', '/api/calls', { phoneNumber: phoneNumber(3), scheduledAt: inDays(3) }, { 'X-Actor': 'carol' });
        expect(created.status).toBe(201);
        const events = (await request(scheduler.url, 'GET', `/api/calls/${created.body.id}/events`)).body;
        expect(events[0].metadata).toMatchObject({ actor: 'anonymous', onBehalfOf: 'carol' });
      } finally {
        await scheduler.stop();
      }
    });

    it('AUTH_TOKEN acts as an admin key named "admin"', async () => {
      const token = 'a-shared-admin-secret-of-at-least-32-chars';
      const scheduler = await startScheduler({ callApiUrl: mock.url, env: { HOST: '0.0.0.0', AUTH_TOKEN: token } });
      try {
        expect((await request(scheduler.url, 'GET', '/api/calls/pending')).status).toBe(401);
        const created = await request(scheduler.url, 'POST', '/api/calls', { phoneNumber: phoneNumber(4), scheduledAt: inDays(3) }, bearer(token));
        expect(created.status).toBe(201);
        const events = (await request(scheduler.url, 'GET', `/api/calls/${created.body.id}/events`, undefined, bearer(token))).body;
        expect(events[0].metadata.actor).toBe('admin');
        expect((await request(scheduler.url, 'GET', '/api/keys', undefined, bearer(token))).status).toBe(200);
      } finally {
        await scheduler.stop();
      }
    });
  });
});
