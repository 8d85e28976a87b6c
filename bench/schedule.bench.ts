import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postAll } from './dispatch.bench.js';
import { HttpClient } from './support/http-client.js';
import { startMock, startScheduler, type SchedulerInstance } from './support/processes.js';
import { fmt, load, median, percentile, sortedCopy } from './support/stats.js';

// Scheduling only (POST /api/calls, calls a year ahead), for the append path (issues #10, #11):
//   BENCH_ONLY=schedule BENCH_ENGINE=sqlite|postgres BENCH_INSTANCES=1|3
// 32 keep-alive clients split over the instances, 500 warm-up calls, then 10,000 measured; each
// run on a fresh database. PostgreSQL: PG_BENCH_URL (default the local test server).

const CALLS = 10_000;
const WARM_UP = 500;
const CLIENTS = 32;
const PG_SERVER = process.env.PG_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const phone = (i: number) => `+1415555${String(i % 10_000).padStart(4, '0')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function run(engine: string, instances: number): Promise<{ throughput: number; p50: number; p99: number }> {
  const mock = await startMock({});
  const name = `cs_bench_${randomBytes(6).toString('hex')}`;
  let url: string | undefined;
  if (engine === 'postgres') {
    await admin(`CREATE DATABASE ${name}`);
    const u = new URL(PG_SERVER);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const schedulers: SchedulerInstance[] = [];
  const clients: HttpClient[] = [];
  try {
    // The first runs the migrations (SQLite: one instance only, a file per process).
    schedulers.push(await startScheduler(mock.url, {}, url));
    for (let i = 1; i < instances; i++) schedulers.push(await startScheduler(mock.url, {}, url));
    const per = Math.ceil(CLIENTS / instances);
    for (const s of schedulers) clients.push(new HttpClient(s.url, per));
    const at = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const post = async (count: number) => {
      const share = Math.ceil(count / instances);
      const parts = await Promise.all(
        clients.map((client, k) =>
          postAll(
            client,
            Array.from({ length: Math.min(share, count - k * share) }, (_, i) => ({ phoneNumber: phone(k * share + i), scheduledAt: at })),
            per,
          ),
        ),
      );
      return { latencies: parts.flatMap((p) => p.latencies), wallMs: Math.max(...parts.map((p) => p.wallMs)) };
    };
    await post(WARM_UP);
    const { latencies, wallMs } = await post(CALLS);
    const sorted = sortedCopy(latencies);
    return { throughput: (CALLS / wallMs) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    for (const client of clients) client.close();
    for (const s of schedulers) await s.stop();
    await mock.stop();
    if (engine === 'postgres') await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export async function runScheduleBench({ runs }: { runs: number }): Promise<void> {
  const engine = process.env.BENCH_ENGINE ?? 'sqlite';
  const instances = Number(process.env.BENCH_INSTANCES ?? 1);
  console.log(`\nschedule ${fmt(CALLS, 0)} calls, ${CLIENTS} clients, ${engine}, ${instances} instance(s)`);
  const results: { throughput: number; p50: number; p99: number }[] = [];
  for (let i = 1; i <= runs; i++) {
    const r = await run(engine, instances);
    results.push(r);
    console.log(`  run ${i}: ${fmt(r.throughput, 0)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms (load ${load()})`);
  }
  const m = (f: (r: (typeof results)[number]) => number) => fmt(median(results.map(f)), 1);
  console.log(`  median of ${runs}: ${m((r) => r.throughput)} req/s, p50 ${m((r) => r.p50)} ms, p99 ${m((r) => r.p99)} ms`);
}
