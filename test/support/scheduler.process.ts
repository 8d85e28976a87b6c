import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/apps/scheduler-api/src/main.js');

export interface SchedulerProcess {
  url: string;
  port: number;
  databaseUrl: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown hooks, like a crash or an OOM kill. */
  kill9(): Promise<void>;
}

export interface SchedulerOptions {
  callApiUrl: string;
  // Reuse a database across restarts; a fresh SQLite file otherwise.
  databaseUrl?: string;
  env?: Record<string, string>;
  port?: number;
}

/** Starts the built scheduler (`dist/`) as its own process and waits until /health answers. */
export async function startScheduler(options: SchedulerOptions): Promise<SchedulerProcess> {
  const port = options.port ?? (await freePort());
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'cs-e2e-')), 'calls.db')}`;
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      // Tests schedule thousands of calls from one address; the rate limit has tests of its own.
      RATE_LIMIT_PER_MINUTE: '1000000',
      DATABASE_URL: databaseUrl,
      CALL_API_URL: options.callApiUrl,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies first, do not leave the scheduler behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer | string) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer | string) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  return {
    url,
    port,
    databaseUrl,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Several instances on one database: the first runs the migrations, the rest start together on the migrated schema. */
export async function startSchedulers(count: number, options: SchedulerOptions): Promise<SchedulerProcess[]> {
  const first = await startScheduler(options);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => startScheduler(options))))];
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`scheduler exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`scheduler did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
