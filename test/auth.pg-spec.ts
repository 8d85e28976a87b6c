import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { request } from './support/http.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startSchedulers, type SchedulerProcess } from './support/scheduler.process.js';

// API keys on PostgreSQL (issue #12): the keys CLI, and two instances sharing the keys table.
const KEYS_CLI = join(resolve(import.meta.dirname, '..'), 'dist/apps/scheduler-api/src/cli/keys.js');
const run = promisify(execFile);

describe('API keys on PostgreSQL, two instances', () => {
  let database: PgDatabase;
  let mock: CallApiMockProcess;
  let schedulers: SchedulerProcess[] = [];
  const keys = (...args: string[]) => run(process.execPath, [KEYS_CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: database.url } });

  beforeAll(async () => {
    database = await createPgDatabase();
    mock = await startCallApiMock();
  });
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    await mock?.stop();
    await database?.drop();
  });

  it('issues with the CLI, refuses a second live name, and a key revoked through one instance is refused by the other within a second', async () => {
    const admin = (await keys('create', '--name', 'ada', '--role', 'admin')).stdout.trim().split('\n').at(-1)!;
    await expect(keys('create', '--name', 'ada', '--role', 'viewer')).rejects.toMatchObject({ code: 1 });
    schedulers = await startSchedulers(2, { callApiUrl: mock.url, databaseUrl: database.url });
    const [a, b] = schedulers;
    const issued = await request(a.url, 'POST', '/api/keys', { name: 'vic', role: 'viewer' }, { Authorization: `Bearer ${admin}` });
    expect(issued.status).toBe(201);
    const vic = { Authorization: `Bearer ${issued.body.key}` };
    expect((await request(b.url, 'GET', '/api/calls/pending', undefined, vic)).status).toBe(200);
    expect((await request(a.url, 'DELETE', '/api/keys/vic', undefined, { Authorization: `Bearer ${admin}` })).status).toBe(200);
    expect((await request(a.url, 'GET', '/api/calls/pending', undefined, vic)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await request(b.url, 'GET', '/api/calls/pending', undefined, vic)).status).toBe(401);
    // A ticket issued by one instance opens the stream on the other.
    const ticket = (await request(a.url, 'POST', '/api/stream/tickets', undefined, { Authorization: `Bearer ${admin}` })).body.ticket as string;
    const res = await fetch(`${b.url}/api/stream?ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const { stdout } = await keys('list');
    expect(stdout).toMatch(/vic\s+viewer\s+\S+\s+20\d\d-/);
  }, 60_000);
});
