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
 * Reads the positions a long read sends: the number after `prefix` at the start of a line, until
 * the body ends or `stopAt` is reached (then the connection is closed: SSE never ends by itself).
 * Works on bytes (no decoding, no JSON): ten readers of 100k events must not eat the CPU the
 * scheduler under test needs.
 */
function readPositions(res: IncomingMessage, prefix: string, stopAt: number, started: number): Promise<ReadResult> {
  const result: ReadResult = { status: res.statusCode ?? 0, count: 0, first: 0, last: 0, contiguous: true, ms: 0 };
  const mark = Buffer.from(`\n${prefix}`);
  let carry = Buffer.alloc(0);
  return new Promise((resolvePromise, reject) => {
    const finish = () => {
      result.ms = performance.now() - started;
      res.destroy();
      resolvePromise(result);
    };
    res.on('data', (chunk: Buffer) => {
      // The body starts with a line too.
      const buf = Buffer.concat([result.count === 0 && carry.length === 0 ? Buffer.from('\n') : carry, chunk]);
      let at = buf.indexOf(mark);
      let end = 0;
      while (at >= 0) {
        let i = at + mark.length;
        let position = 0;
        while (i < buf.length && buf[i] >= 48 && buf[i] <= 57) position = position * 10 + buf[i++] - 48;
        if (i === buf.length) break; // the number may go on in the next chunk
        if (result.count === 0) result.first = position;
        else if (position !== result.last + 1) result.contiguous = false;
        result.count += 1;
        result.last = position;
        if (position >= stopAt) return finish();
        end = i;
        at = buf.indexOf(mark, i);
      }
      // Keep from the last newline on: a mark may straddle two chunks.
      const from = Math.max(end, buf.lastIndexOf(10));
      carry = buf.subarray(from < 0 ? 0 : from);
    });
    res.on('end', finish);
    res.on('error', reject);
  });
}

/** `GET /api/stream?lastEventId=after`, read until the frame with id `until` (the catch-up's end). */
export async function sseCatchUp(baseUrl: string, after: number, until: number, localAddress?: string): Promise<ReadResult> {
  const started = performance.now();
  const res = await open(baseUrl, `/api/stream?lastEventId=${after}`, {}, localAddress);
  return readPositions(res, 'id: ', res.statusCode === 200 ? until : Infinity, started);
}

/** `GET /api/events` as NDJSON, to its end. */
export async function ndjsonExport(baseUrl: string, localAddress?: string): Promise<ReadResult> {
  const started = performance.now();
  const res = await open(baseUrl, '/api/events', { accept: 'application/x-ndjson' }, localAddress);
  return readPositions(res, '{"position":', Infinity, started);
}

/** Polls GET `path` every `everyMs` until stop() is called; returns every answer's time (ms) and status. */
export function probe(baseUrl: string, path: string, everyMs: number): { stop(): Promise<{ ms: number; status: number }[]> } {
  const samples: { ms: number; status: number }[] = [];
  let running = true;
  const loop = (async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() sets it to false from outside the loop
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

/** Schedules `count` calls due evenly over [dueFrom, dueFrom + windowMs), 8 requests at a time; returns their ids. */
export async function scheduleWindow(baseUrl: string, count: number, dueFrom: number, windowMs: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = { phoneNumber: `+1415555${String(i % 10_000).padStart(4, '0')}`, scheduledAt: new Date(dueFrom + (i * windowMs) / count).toISOString() };
      const res = await fetch(new URL('/api/calls', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const view = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`POST /api/calls answered ${res.status}: ${JSON.stringify(view)}`);
      ids[i] = view.id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

/** Each call's first CallDispatchStarted.latenessMs (GET /api/calls/:id/events), sorted; waits until all have one. */
export async function dispatchLateness(baseUrl: string, ids: string[], timeoutMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const lateness = new Map<string, number>();
  for (;;) {
    for (const id of ids) {
      if (lateness.has(id)) continue;
      const events = (await (await fetch(new URL(`/api/calls/${id}/events`, baseUrl))).json()) as { type: string; data: { latenessMs?: number } }[];
      const started = events.find((e) => e.type === 'CallDispatchStarted');
      if (started) lateness.set(id, Number(started.data.latenessMs));
    }
    if (lateness.size === ids.length) return [...lateness.values()].sort((a, b) => a - b);
    if (Date.now() > deadline) throw new Error(`only ${lateness.size} of ${ids.length} calls were dispatched within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The value at percentile `p` of an ascending list (nearest rank). */
export const nearestRank = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

/** `pairs` SSE catch-ups from position 0 up to `head` and as many NDJSON exports, one of each per client address. */
export function startLongReads(baseUrl: string, pairs: number, head: number): Promise<ReadResult[]> {
  const reads: Promise<ReadResult>[] = [];
  for (let i = 0; i < pairs; i++) {
    reads.push(sseCatchUp(baseUrl, 0, head, loopback(i)));
    reads.push(ndjsonExport(baseUrl, loopback(i)));
  }
  return Promise.all(reads);
}
