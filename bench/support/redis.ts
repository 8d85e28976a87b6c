import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture, freePort, stopChild, waitForOutput, type RunningProcess } from './processes.js';

/**
 * A Redis of its own for the BullMQ peer, on a free port in a temporary directory, with the
 * append-only file on and fsync every second: how a user runs it for jobs that must not be lost.
 * Needs `redis-server` (Debian: apt-get install redis-server).
 */
export async function startRedis(): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = capture(child);
  await waitForOutput(child, output, /Ready to accept connections/, 'redis-server (apt-get install redis-server)');
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
