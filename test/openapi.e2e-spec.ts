import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

const ROOT = resolve(import.meta.dirname, '..');
const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
}
interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

// The document clients generate from (npm run openapi, linted in CI) is the one the server serves,
// and what it says about security is what the guard does.
describe('the OpenAPI document', () => {
  let scheduler: SchedulerProcess;
  let served: Document;

  beforeAll(async () => {
    scheduler = await startScheduler({ callApiUrl: 'http://127.0.0.1:9', env: { AUTH_TOKEN: 'contract-secret-contract-secret-32ch' } });
    served = (await (
      await fetch(`${scheduler.url}/api/docs-json`, { headers: { Authorization: 'Bearer contract-secret-contract-secret-32ch' } })
    ).json()) as Document;
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
  });

  const operations = () =>
    Object.entries(served.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method]! })));

  it('is what `npm run openapi` writes, without a database or a server', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    execFileSync(process.execPath, [join(ROOT, 'scripts/openapi.mjs'), out], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
    });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(served);
  });

  it('gives every operation a readable, unique operation id', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['scheduleCall', 'listPendingCalls', 'cancelCall', 'retryCalls', 'streamChanges', 'getHealth']));
  });

  it('marks as needing a key exactly the routes the guard refuses without one', async () => {
    for (const { path, method, operation } of operations()) {
      const url = scheduler.url + path.replace('{id}', '00000000-0000-4000-8000-000000000000');
      const res = await fetch(url, { method: method.toUpperCase(), signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      const documented = (operation.security ?? []).length > 0;
      expect({ path, method, status: res.status === 401 ? 401 : 'not 401' }).toEqual({ path, method, status: documented ? 401 : 'not 401' });
      if (documented) expect({ path, method, has401: '401' in operation.responses }).toEqual({ path, method, has401: true });
    }
  });
});
