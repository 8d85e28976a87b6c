import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture, freePort, stopChild, type RunningProcess } from './processes.js';

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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output()}`)), 10_000);
    child.stdout.on('data', () => {
      if (output().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => reject(new Error(`redis-server could not be started (apt-get install redis-server): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output()}`)));
  });
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
