import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The benchmarks drive the BUILT service as its own process (as in production), with the Call API
// stand-in as another, over real HTTP. Paths are relative to dist/bench/support/.
const ROOT = resolve(import.meta.dirname, '../../..');
const SCHEDULER_MAIN = join(ROOT, 'dist/apps/scheduler-api/src/main.js');
const MOCK_MAIN = join(ROOT, 'dist/apps/call-api-mock/src/main.js');

export interface RunningProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface SchedulerInstance extends RunningProcess {
  databaseUrl: string;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
}

/** Starts the stand-in on an ephemeral port; `env` adds MOCK_* options. */
export async function startMock(env: Record<string, string> = {}): Promise<RunningProcess> {
  requireBuilt(MOCK_MAIN);
  const child = spawn(process.execPath, [MOCK_MAIN], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', MOCK_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = capture(child);
  const [, url] = await waitForOutput(child, output, /call-api-mock listening on (http:\/\/\S+)/, 'call-api-mock');
  return { url, pid: child.pid!, child, output, stop: () => stopChild(child) };
}

/** Resolves with the match once the child has printed `pattern`; rejects if it exits, fails to spawn or takes too long. */
export function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, name: string, timeoutMs = 15_000): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output()}`)), timeoutMs);
    child.stdout!.on('data', () => {
      const match = pattern.exec(output());
      if (match) {
        clearTimeout(timer);
        resolvePromise(match);
      }
    });
    child.once('error', (error) => reject(new Error(`${name} could not be started: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output()}`)));
  });
}

/** Starts the scheduler on a fresh SQLite file (removed on stop), or on `existingDatabaseUrl`, and waits for /health. */
export async function startScheduler(callApiUrl: string, env: Record<string, string> = {}, existingDatabaseUrl?: string): Promise<SchedulerInstance> {
  requireBuilt(SCHEDULER_MAIN);
  // A database given by the caller is theirs to remove.
  const dir = existingDatabaseUrl ? null : mkdtempSync(join(tmpdir(), 'cs-bench-'));
  const databaseUrl = existingDatabaseUrl ?? `sqlite:${join(dir!, 'calls.db')}`;
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), SCHEDULER_MAIN],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        // 32 clients from one address measure throughput, not the inbound rate limit.
        RATE_LIMIT_PER_MINUTE: '0',
        DATABASE_URL: databaseUrl,
        CALL_API_URL: callApiUrl,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = capture(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`scheduler exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`scheduler did not become healthy:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    databaseUrl,
    output,
    peakRssMiB: () => peakRssMiB(child.pid!),
    stop: async () => {
      // SIGINT: the same graceful shutdown, and --cpu-prof writes its profile on a clean exit.
      await stopChild(child, 'SIGINT');
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** VmHWM of a live process, from /proc (Linux). */
export function peakRssMiB(pid: number): number {
  // A high-water mark: one read before the process stops covers its whole life.
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return Number.NaN; // not Linux, or already gone
  }
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export function capture(child: ChildProcess): () => string {
  let text = '';
  // Keep only the tail: a long run logs a lot and we print this only on failure.
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  // If the benchmark dies first, do not leave the service behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return () => text;
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill(signal);
  });
}

export function requireBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build:server\` first`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}
