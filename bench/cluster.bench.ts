import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postAll, waitForDials } from './dispatch.bench.js';
import { HttpClient } from './support/http-client.js';
import { startMock, startScheduler, type SchedulerInstance } from './support/processes.js';
import { fmt, load, median, percentile, sortedCopy } from './support/stats.js';

// One vs three instances on one PostgreSQL (issue #10), each run on a fresh database:
//   schedule  3,000 POST /api/calls (a year ahead), 32 keep-alive clients split over the instances
//   drain     2,000 calls due at one instant: dials per second until the stand-in counted them all
//   feed      a change written on one instance, seen on another's /api/stream (SSE): p50/p99 of 50
//   BENCH_ONLY=cluster (PG_BENCH_URL, default the local test server)

const SCHEDULE_CALLS = 3_000;
const DRAIN_CALLS = 2_000;
const FEED_SAMPLES = 50;
const CLIENTS = 32;
const PG_SERVER = process.env.PG_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEDULER_ENV = { DISPATCH_CONCURRENCY: '64', DISPATCH_RATE: '100000' };
const MOCK_ENV = { MOCK_TIME_SCALE: '0.01' };

const phone = (i: number) => `+1415555${String(i % 10_000).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface ClusterResult {
  schedulePerSecond: number;
  dialsPerSecond: number;
  feedP50: number;
  feedP99: number;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** POSTs the bodies split over the instances' clients; the wall time of the slowest share. */
async function postSplit(clients: HttpClient[], bodies: { phoneNumber: string; scheduledAt: string }[]): Promise<number> {
  const share = Math.ceil(bodies.length / clients.length);
  const parts = await Promise.all(clients.map((c, k) => postAll(c, bodies.slice(k * share, (k + 1) * share), Math.ceil(CLIENTS / clients.length))));
  return Math.max(...parts.map((p) => p.wallMs));
}

/** ms from a 201 on `writer` to the change frame on `reader`'s SSE stream, FEED_SAMPLES times. */
async function feedLatency(writer: SchedulerInstance, reader: SchedulerInstance): Promise<number[]> {
  const controller = new AbortController();
  const res = await fetch(`${reader.url}/api/stream`, { signal: controller.signal });
  const stream = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: ready')) text += decoder.decode((await stream.read()).value, { stream: true });
  const latencies: number[] = [];
  const at = new Date(Date.now() + 365 * 86_400_000).toISOString();
  for (let i = 0; i < FEED_SAMPLES; i++) {
    text = '';
    const created = await fetch(`${writer.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: phone(9000 + i), scheduledAt: at }),
    });
    const answered = performance.now();
    const { id } = (await created.json()) as { id: string };
    while (!text.includes(`"streamId":"${id}"`)) text += decoder.decode((await stream.read()).value, { stream: true });
    latencies.push(performance.now() - answered);
    await sleep(20);
  }
  controller.abort();
  return latencies;
}

async function run(instances: number): Promise<ClusterResult> {
  const mock = await startMock(MOCK_ENV);
  const name = `cs_bench_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const schedulers: SchedulerInstance[] = [];
  const clients: HttpClient[] = [];
  try {
    schedulers.push(await startScheduler(mock.url, SCHEDULER_ENV, url.toString()));
    for (let i = 1; i < instances; i++) schedulers.push(await startScheduler(mock.url, SCHEDULER_ENV, url.toString()));
    for (const s of schedulers) clients.push(new HttpClient(s.url, Math.ceil(CLIENTS / instances)));

    const ahead = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await postSplit(
      clients,
      Array.from({ length: 500 }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: ahead })),
    );
    const scheduleMs = await postSplit(
      clients,
      Array.from({ length: SCHEDULE_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: ahead })),
    );
    const schedulePerSecond = (SCHEDULE_CALLS / scheduleMs) * 1000;

    // Due once all are surely in, judging by the measured schedule rate.
    const dueAt = Date.now() + 2000 + (DRAIN_CALLS / schedulePerSecond) * 1500;
    const scheduledAt = new Date(dueAt).toISOString();
    await postSplit(
      clients,
      Array.from({ length: DRAIN_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt })),
    );
    const mockClient = new HttpClient(mock.url, 2);
    await sleep(dueAt - Date.now());
    const doneAt = await waitForDials(mockClient, DRAIN_CALLS, 180_000, 20).catch((error: unknown) => {
      // What the schedulers said about it, before the error ends the run.
      for (const s of schedulers)
        console.log(
          s
            .output()
            .split('\n')
            .filter((l) => /"level":"(warn|error)"/.test(l))
            .slice(-20)
            .join('\n'),
        );
      throw error;
    });
    mockClient.close();
    const dialsPerSecond = (DRAIN_CALLS / (doneAt - dueAt)) * 1000;

    // Across instances when there are several: written on the first, read on the last.
    const sorted = sortedCopy(await feedLatency(schedulers[0], schedulers[schedulers.length - 1]));
    return { schedulePerSecond, dialsPerSecond, feedP50: percentile(sorted, 50), feedP99: percentile(sorted, 99) };
  } finally {
    for (const client of clients) client.close();
    for (const s of schedulers) await s.stop();
    await mock.stop();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export async function runClusterBench({ runs }: { runs: number }): Promise<void> {
  console.log(`\n== 1 vs 3 instances on PostgreSQL (${runs} run(s) each, fresh database each) ==`);
  const medians: string[] = [];
  for (const instances of [1, 3]) {
    const results: ClusterResult[] = [];
    for (let i = 1; i <= runs; i++) {
      const r = await run(instances);
      results.push(r);
      console.log(
        `  ${instances} instance(s) run ${i}: schedule ${fmt(r.schedulePerSecond, 0)} req/s, drain ${fmt(r.dialsPerSecond, 0)} dials/s, ` +
          `feed p50 ${fmt(r.feedP50)} ms p99 ${fmt(r.feedP99)} ms (load ${load()})`,
      );
    }
    const m = (f: (r: ClusterResult) => number, digits = 0) => fmt(median(results.map(f)), digits);
    medians.push(
      `  ${instances} instance(s), median of ${runs}: schedule ${m((r) => r.schedulePerSecond)} req/s, drain ${m((r) => r.dialsPerSecond)} dials/s, ` +
        `feed p50 ${m((r) => r.feedP50, 1)} ms p99 ${m((r) => r.feedP99, 1)} ms`,
    );
  }
  for (const line of medians) console.log(line);
}
