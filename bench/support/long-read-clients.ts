import { spawn } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';

// Clients of the scheduler's long reads (SSE catch-up, NDJSON export) and a generator of a big log,
// shared by the long-read benchmark and test/long-reads.e2e-spec.ts. Each client can connect from
// its own loopback address (127.0.0.x), so the server sees distinct client addresses.

// Compiled to dist/bench/support/ or run from bench/support/ by Jest: the root is the nearest
// folder above that is not dist/.
const HERE = import.meta.dirname;
const ROOT = HERE.includes('/dist/') ? resolve(HERE, '../../..') : resolve(HERE, '../..');
const AUDIT_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/audit.js');

/** The i-th loopback address other than 127.0.0.1 (Linux routes all of 127/8 to lo). */
export const loopback = (i: number) => `127.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;

export interface ReadResult {
  status: number;
  // Positions received, in order of arrival.
  count: number;
  first: number;
  last: number;
  // Every position followed the one before it by exactly 1.
  contiguous: boolean;
  ms: number;
}

/** `npm run audit -- generate --calls N` on `databaseUrl`, as its own process; resolves with its report. */
export function generateLog(databaseUrl: string, calls: number, seed = 1): Promise<{ events: number; headPosition: number; calls: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [AUDIT_CLI, 'generate', '--calls', String(calls), '--seed', String(seed), '--json'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`generate exited ${code}: ${out.slice(-2000)}`));
      resolvePromise(JSON.parse(out.trim().split('\n').pop()!) as { events: number; headPosition: number; calls: number });
    });
  });
}

/** GET `path` from `localAddress`; resolves with the response (body not read yet). */
export function open(baseUrl: string, path: string, headers: Record<string, string> = {}, localAddress?: string): Promise<IncomingMessage> {
  const url = new URL(path, baseUrl);
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers, localAddress, agent: false }, resolvePromise);
    req.on('error', reject);
    req.end();
  });
}

/**
 * Reads the positions a long read sends, one per line that `positionOf` recognises, until the
 * body ends or `stopAt` is reached (then the connection is closed: SSE never ends by itself).
 */
function readPositions(res: IncomingMessage, positionOf: (line: string) => number | null, stopAt: number, started: number): Promise<ReadResult> {
  const result: ReadResult = { status: res.statusCode ?? 0, count: 0, first: 0, last: 0, contiguous: true, ms: 0 };
  let rest = '';
  return new Promise((resolvePromise, reject) => {
    const finish = () => {
      result.ms = performance.now() - started;
      res.destroy();
      resolvePromise(result);
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const position = positionOf(line);
        if (position === null) continue;
        if (result.count === 0) result.first = position;
        else if (position !== result.last + 1) result.contiguous = false;
        result.count += 1;
        result.last = position;
        if (position >= stopAt) return finish();
      }
    });
    res.on('end', finish);
    res.on('error', reject);
  });
}

/** `GET /api/stream?lastEventId=after`, read until the frame with id `until` (the catch-up's end). */
export async function sseCatchUp(baseUrl: string, after: number, until: number, localAddress?: string): Promise<ReadResult> {
  const started = performance.now();
  const res = await open(baseUrl, `/api/stream?lastEventId=${after}`, {}, localAddress);
  if (res.statusCode !== 200) return readPositions(res, () => null, Infinity, started);
  return readPositions(res, (line) => (line.startsWith('id: ') ? Number(line.slice(4)) : null), until, started);
}

/** `GET /api/events` as NDJSON, to its end. */
export async function ndjsonExport(baseUrl: string, localAddress?: string): Promise<ReadResult> {
  const started = performance.now();
  const res = await open(baseUrl, '/api/events', { accept: 'application/x-ndjson' }, localAddress);
  const POSITION = /^\{"position":(\d+)/;
  return readPositions(res, (line) => Number(POSITION.exec(line)?.[1] ?? Number.NaN) || null, Infinity, started);
}

/** Polls GET `path` every `everyMs` until stop() is called; returns every answer's time (ms) and status. */
export function probe(baseUrl: string, path: string, everyMs: number): { stop(): Promise<{ ms: number; status: number }[]> } {
  const samples: { ms: number; status: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const res = await fetch(new URL(path, baseUrl));
        await res.arrayBuffer();
        samples.push({ ms: performance.now() - t, status: res.status });
      } catch {
        samples.push({ ms: performance.now() - t, status: 0 });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}
