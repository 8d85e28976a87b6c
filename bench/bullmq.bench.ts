import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { postAll, waitForDials } from './dispatch.bench.js';
import { HttpClient } from './support/http-client.js';
import { capture, freePort, peakRssMiB, requireBuilt, startMock, startScheduler, stopChild, waitForOutput, type RunningProcess } from './support/processes.js';
import { startRedis } from './support/redis.js';
import { fmt, load, median, percentile, sortedCopy } from './support/stats.js';

// This service side by side with BullMQ (issue #11), in the same run, on the same machine, with the
// same load generator (32 keep-alive clients) and the same Call API stand-in (answers at once):
//   schedule   10,000 POSTs, calls a year ahead: req/s and p99
//   burst      10,000 calls due at one instant: dials/s until the stand-in counted them all
//   lateness   2,000 calls due over 10 s WHILE 32 clients keep scheduling at full speed: p50/p99
// This service: SQLite, DISPATCH_CONCURRENCY=64, DISPATCH_RATE=100000, status following on.
// BullMQ: bench/peer/bullmq-service.ts (node:http + queue.add with a delay, Worker concurrency 64)
// on a Redis started here with appendonly yes / appendfsync everysec. Figures printed, not asserted.

const ROOT = resolve(import.meta.dirname, '../..');
const PEER_MAIN = join(ROOT, 'dist/bench/peer/bullmq-service.js');
const CLIENTS = 32;
const SCHEDULE_CALLS = 10_000;
const BURST_CALLS = 10_000;
const LATENESS_CALLS = 2_000;
const LATENESS_WINDOW_MS = 10_000;
const OURS_ENV = { DISPATCH_CONCURRENCY: '64', DISPATCH_RATE: '100000' };
const MOCK_ENV = { MOCK_TIME_SCALE: '0.01' };

const phone = (i: number) => `+1415555${String(i % 10_000).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const yearAhead = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** One system under test: where to POST, how it measured lateness, its peak RSS. */
interface Target {
  url: string;
  lateness(): Promise<number[]>;
  peakRssMiB(): number;
  stop(): Promise<void>;
}

type Side = 'ours' | 'bullmq';

async function startOurs(callApiUrl: string): Promise<Target> {
  const scheduler = await startScheduler(callApiUrl, OURS_ENV);
  const client = new HttpClient(scheduler.url, 2);
  return {
    url: scheduler.url,
    async lateness() {
      const { text } = await client.text('/api/events', { accept: 'application/x-ndjson' });
      return text
        .split('\n')
        .filter((line) => line.includes('"CallDispatched"'))
        .map((line) => (JSON.parse(line) as { data: { latenessMs: number } }).data.latenessMs);
    },
    peakRssMiB: () => scheduler.peakRssMiB(),
    async stop() {
      client.close();
      await scheduler.stop();
    },
  };
}

async function startBullmq(callApiUrl: string): Promise<Target> {
  requireBuilt(PEER_MAIN);
  const redis = await startRedis();
  const port = await freePort();
  const child = spawn(process.execPath, [PEER_MAIN], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), REDIS_URL: redis.url, CALL_API_URL: callApiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = capture(child);
  await waitForOutput(child, output, /bullmq-peer listening/, 'bullmq peer');
  const url = `http://127.0.0.1:${port}`;
  const client = new HttpClient(url, 2);
  return {
    url,
    lateness: async () => (await client.get<{ lateness: number[] }>('/stats')).body.lateness,
    peakRssMiB: () => peakRssMiB(child.pid!) + peakRssMiB(redis.pid),
    async stop() {
      client.close();
      await stopChild(child);
      await redis.stop();
    },
  };
}

async function withTarget<T>(side: Side, body: (target: Target, client: HttpClient, mock: RunningProcess) => Promise<T>): Promise<T> {
  const mock = await startMock(MOCK_ENV);
  let target: Target | undefined;
  try {
    target = side === 'ours' ? await startOurs(mock.url) : await startBullmq(mock.url);
    const targeted = new HttpClient(target.url, CLIENTS);
    try {
      return await body(target, targeted, mock);
    } finally {
      targeted.close();
    }
  } finally {
    await target?.stop();
    await mock.stop();
  }
}

interface Result {
  schedulePerSecond: number;
  scheduleP99: number;
  burstPerSecond: number;
  latenessP50: number;
  latenessP99: number;
  rssMiB: number;
}

async function schedule(side: Side): Promise<{ perSecond: number; p99: number; rss: number }> {
  return withTarget(side, async (target, client) => {
    const at = yearAhead();
    await postAll(
      client,
      Array.from({ length: 500 }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: at })),
      CLIENTS,
    );
    const { latencies, wallMs } = await postAll(
      client,
      Array.from({ length: SCHEDULE_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: at })),
      CLIENTS,
    );
    return { perSecond: (SCHEDULE_CALLS / wallMs) * 1000, p99: percentile(sortedCopy(latencies), 99), rss: target.peakRssMiB() };
  });
}

async function burst(side: Side, schedulePerSecond: number): Promise<{ perSecond: number; rss: number }> {
  return withTarget(side, async (target, client, mock) => {
    const dueAt = Date.now() + 2000 + (BURST_CALLS / schedulePerSecond) * 1400;
    const scheduledAt = new Date(dueAt).toISOString();
    await postAll(
      client,
      Array.from({ length: BURST_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt })),
      CLIENTS,
    );
    const mockClient = new HttpClient(mock.url, 2);
    await sleep(dueAt - Date.now());
    const doneAt = await waitForDials(mockClient, BURST_CALLS, 180_000, 20);
    mockClient.close();
    return { perSecond: (BURST_CALLS / (doneAt - dueAt)) * 1000, rss: target.peakRssMiB() };
  });
}

/** 2,000 calls due over 10 s while 32 clients keep scheduling far-future calls as fast as they can. */
async function latenessUnderLoad(side: Side, schedulePerSecond: number): Promise<{ p50: number; p99: number; rss: number }> {
  return withTarget(side, async (target, client, mock) => {
    const dueFrom = Date.now() + 2000 + (LATENESS_CALLS / schedulePerSecond) * 1500;
    const step = LATENESS_WINDOW_MS / LATENESS_CALLS;
    await postAll(
      client,
      Array.from({ length: LATENESS_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: new Date(dueFrom + i * step).toISOString() })),
      CLIENTS,
    );
    await sleep(dueFrom - Date.now() - 200);
    // The realistic case: scheduling does not stop while calls are being dialled.
    let stop = false;
    const background = Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; !stop; n++) await client.post('/api/calls', { phoneNumber: phone(c * 300 + (n % 300)), scheduledAt: yearAhead() });
      }),
    );
    const mockClient = new HttpClient(mock.url, 2);
    await sleep(dueFrom + LATENESS_WINDOW_MS - Date.now());
    await waitForDials(mockClient, LATENESS_CALLS, 60_000, 100);
    stop = true;
    await background;
    mockClient.close();
    await sleep(300); // the last answers get recorded
    const sorted = sortedCopy(await target.lateness());
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rss: target.peakRssMiB() };
  });
}

// Both by default; BENCH_SIDES=ours for this service alone (profiling). Unknown names are refused.
const SIDES = (process.env.BENCH_SIDES ?? 'ours,bullmq').split(',').map((side): Side => {
  if (side === 'ours' || side === 'bullmq') return side;
  throw new Error(`BENCH_SIDES: unknown side "${side}" (ours, bullmq)`);
});

async function runSide(side: Side): Promise<Result> {
  const s = await schedule(side);
  const b = await burst(side, s.perSecond);
  const l = await latenessUnderLoad(side, s.perSecond);
  return {
    schedulePerSecond: s.perSecond,
    scheduleP99: s.p99,
    burstPerSecond: b.perSecond,
    latenessP50: l.p50,
    latenessP99: l.p99,
    rssMiB: Math.max(s.rss, b.rss, l.rss),
  };
}

export async function runBullmqBench({ runs }: { runs: number }): Promise<void> {
  console.log(`\n== this service vs BullMQ (${runs} run(s), alternating sides; load avg ${load()}) ==`);
  const ours: Result[] = [];
  const peer: Result[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const side of SIDES) {
      const result = await runSide(side);
      (side === 'ours' ? ours : peer).push(result);
      console.log(
        `  ${side.padEnd(6)} run ${run}/${runs}: schedule ${fmt(result.schedulePerSecond, 0)} req/s p99 ${fmt(result.scheduleP99)} ms, ` +
          `burst ${fmt(result.burstPerSecond, 0)} dials/s, lateness under load p50 ${fmt(result.latenessP50, 0)} / p99 ${fmt(result.latenessP99, 0)} ms, ` +
          `peak RSS ${fmt(result.rssMiB, 0)} MiB (load avg ${load()})`,
      );
    }
  }
  const rows: [string, keyof Result, 'higher' | 'lower'][] = [
    ['schedule, req/s', 'schedulePerSecond', 'higher'],
    ['schedule p99, ms', 'scheduleP99', 'lower'],
    ['burst drain, dials/s', 'burstPerSecond', 'higher'],
    ['lateness under load p50, ms', 'latenessP50', 'lower'],
    ['lateness under load p99, ms', 'latenessP99', 'lower'],
    ['peak RSS, MiB (BullMQ: peer + Redis)', 'rssMiB', 'lower'],
  ];
  console.log('\nmedians          this service      BullMQ   ratio (ours/BullMQ)');
  for (const [name, key, better] of rows) {
    const a = median(ours.map((r) => r[key]));
    const b = median(peer.map((r) => r[key]));
    console.log(`  ${name.padEnd(38)} ${fmt(a, 1).padStart(10)} ${fmt(b, 1).padStart(10)}   ${fmt(a / b, 2)} (${better} is better)`);
  }
}
