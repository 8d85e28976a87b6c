import { HttpClient } from './support/http-client.js';
import { startMock, startScheduler, type RunningProcess, type SchedulerInstance } from './support/processes.js';
import { fmt, load, median, percentile, printFigures, sortedCopy, type Figure } from './support/stats.js';

// Scheduling and dispatch figures of the built service, over HTTP, against the stand-in:
//   schedule  10,000 POST /api/calls from 32 concurrent clients (calls far in the future)
//   lateness  2,000 calls due over 10 s: CallDispatched.latenessMs, p50/p99/max
//   burst     10,000 calls due at one instant: dials per second until the stand-in counted them all
// and the scheduler's peak RSS (VmHWM) in each. Each scenario runs `runs` times on a fresh database;
// the medians are printed against the goals of issue #3. Figures are printed, never asserted.

export interface DispatchBenchOptions {
  runs: number;
}

const SCHEDULE_CALLS = 10_000;
const SCHEDULE_CLIENTS = 32;
const WARM_UP = 500;
const LATENESS_CALLS = 2_000;
const LATENESS_WINDOW_MS = 10_000;
const BURST_CALLS = 10_000;
// Dispatch runs unthrottled by the limiter in the dispatch scenarios: we measure the service.
const DISPATCH_ENV = { DISPATCH_CONCURRENCY: '64', DISPATCH_RATE: '100000' };
// Calls end 100× faster than the real API's 10 s, so each is followed by about one status poll.
const MOCK_ENV = { MOCK_TIME_SCALE: '0.01' };

const phone = (i: number) => `+1415555${String(i % 10_000).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface ScheduleResult {
  throughput: number;
  p50: number;
  p99: number;
  rssMiB: number;
}

interface LatenessResult {
  p50: number;
  p99: number;
  max: number;
  excluded: number;
  rssMiB: number;
}

interface BurstResult {
  dialsPerSecond: number;
  drainMs: number;
  lateStart: boolean;
  rssMiB: number;
}

/** POSTs `bodies` from `clients` concurrent clients; returns each request's latency (ms) and the wall time. */
export async function postAll(
  client: HttpClient,
  bodies: { phoneNumber: string; scheduledAt: string }[],
  clients: number,
  onCreated?: (index: number, at: number) => void,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = new Array<number>(bodies.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const t = performance.now();
        const res = await client.post('/api/calls', bodies[i]);
        if (res.status !== 201) throw new Error(`POST /api/calls answered ${res.status}: ${JSON.stringify(res.body)}`);
        latencies[i] = performance.now() - t;
        onCreated?.(i, Date.now());
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

async function withServices<T>(
  mockEnv: Record<string, string>,
  schedulerEnv: Record<string, string>,
  body: (scheduler: SchedulerInstance, mock: RunningProcess, client: HttpClient) => Promise<T>,
): Promise<T> {
  const mock = await startMock(mockEnv);
  let scheduler: SchedulerInstance | undefined;
  let client: HttpClient | undefined;
  try {
    scheduler = await startScheduler(mock.url, schedulerEnv);
    client = new HttpClient(scheduler.url, SCHEDULE_CLIENTS);
    return await body(scheduler, mock, client);
  } finally {
    client?.close();
    await scheduler?.stop();
    await mock.stop();
  }
}

async function scheduleScenario(): Promise<ScheduleResult> {
  return withServices(MOCK_ENV, {}, async (scheduler, _mock, client) => {
    // A year ahead: nothing falls due while we measure.
    const at = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await postAll(
      client,
      Array.from({ length: WARM_UP }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: at })),
      SCHEDULE_CLIENTS,
    );
    const { latencies, wallMs } = await postAll(
      client,
      Array.from({ length: SCHEDULE_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt: at })),
      SCHEDULE_CLIENTS,
    );
    const sorted = sortedCopy(latencies);
    const rssMiB = scheduler.peakRssMiB();
    return { throughput: (SCHEDULE_CALLS / wallMs) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99), rssMiB };
  });
}

/** Schedules `bodies` due from `dueFrom`; returns the indexes whose 201 came back after they were due. */
async function scheduleAhead(client: HttpClient, bodies: { phoneNumber: string; scheduledAt: string }[]): Promise<Set<number>> {
  const late = new Set<number>();
  await postAll(client, bodies, SCHEDULE_CLIENTS, (i, at) => {
    if (at >= Date.parse(bodies[i].scheduledAt)) late.add(i);
  });
  return late;
}

export async function waitForDials(mock: HttpClient, count: number, timeoutMs: number, pollMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await mock.get<{ total: number }>('/__mock/dials');
    if (body.total >= count) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${body.total} of ${count} dials after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

async function latenessScenario(schedulePerSecond: number): Promise<LatenessResult> {
  return withServices(MOCK_ENV, DISPATCH_ENV, async (scheduler, mock, client) => {
    // Start the window once every call is surely in, judging by the measured schedule rate.
    const dueFrom = Date.now() + 2000 + (LATENESS_CALLS / schedulePerSecond) * 1500;
    const step = LATENESS_WINDOW_MS / LATENESS_CALLS;
    const bodies = Array.from({ length: LATENESS_CALLS }, (_, i) => ({
      phoneNumber: phone(i),
      scheduledAt: new Date(dueFrom + i * step).toISOString(),
    }));
    const late = await scheduleAhead(client, bodies);
    const mockClient = new HttpClient(mock.url, 2);
    await sleep(dueFrom + LATENESS_WINDOW_MS - Date.now());
    await waitForDials(mockClient, LATENESS_CALLS, 60_000, 100);
    mockClient.close();

    // The answers are recorded just after the dials: read the log once all are there.
    const lateIds = new Set<string>();
    let lateness: number[] = [];
    for (let tries = 0; tries < 50; tries++) {
      const { text } = await client.text('/api/events', { accept: 'application/x-ndjson' });
      const events = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { streamId: string; type: string; version: number; data: Record<string, unknown> });
      if (lateIds.size === 0 && late.size > 0) {
        // Scheduled after its time (a machine too busy to keep up): its lateness would measure us.
        const scheduledPhones = new Set([...late].map((i) => bodies[i].phoneNumber));
        for (const e of events) if (e.type === 'CallScheduled' && scheduledPhones.has(String(e.data.phoneNumber))) lateIds.add(e.streamId);
      }
      const dispatched = events.filter((e) => e.type === 'CallDispatched');
      if (dispatched.length >= LATENESS_CALLS) {
        lateness = dispatched.filter((e) => !lateIds.has(e.streamId)).map((e) => Number(e.data.latenessMs));
        break;
      }
      await sleep(100);
    }
    if (lateness.length === 0) throw new Error('no CallDispatched events found');
    const sorted = sortedCopy(lateness);
    const rssMiB = scheduler.peakRssMiB();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], excluded: lateIds.size, rssMiB };
  });
}

async function burstScenario(schedulePerSecond: number): Promise<BurstResult> {
  return withServices(MOCK_ENV, DISPATCH_ENV, async (scheduler, mock, client) => {
    const dueAt = Date.now() + 2000 + (BURST_CALLS / schedulePerSecond) * 1400;
    const scheduledAt = new Date(dueAt).toISOString();
    await postAll(
      client,
      Array.from({ length: BURST_CALLS }, (_, i) => ({ phoneNumber: phone(i), scheduledAt })),
      SCHEDULE_CLIENTS,
    );
    const lateStart = Date.now() >= dueAt;
    const mockClient = new HttpClient(mock.url, 2);
    await sleep(dueAt - Date.now());
    const doneAt = await waitForDials(mockClient, BURST_CALLS, 120_000, 20);
    mockClient.close();
    const rssMiB = scheduler.peakRssMiB();
    const drainMs = doneAt - dueAt;
    return { dialsPerSecond: (BURST_CALLS / drainMs) * 1000, drainMs, lateStart, rssMiB };
  });
}

async function repeat<T>(name: string, runs: number, scenario: () => Promise<T>, describe: (r: T) => string): Promise<T[]> {
  const results: T[] = [];
  for (let run = 1; run <= runs; run++) {
    const loadBefore = load();
    const result = await scenario();
    results.push(result);
    console.log(`  ${name} run ${run}/${runs}: ${describe(result)}  (load avg before: ${loadBefore})`);
  }
  return results;
}

/** Runs the three scenarios `runs` times each and prints the medians against the goals. */
export async function runDispatchBench({ runs }: DispatchBenchOptions): Promise<void> {
  console.log(`\n== dispatch benchmarks (${runs} run(s) per scenario, fresh SQLite database each) ==`);

  const schedule = await repeat(
    'schedule',
    runs,
    scheduleScenario,
    (r) => `${fmt(r.throughput, 0)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, peak RSS ${fmt(r.rssMiB, 0)} MiB`,
  );
  const rate = Math.max(50, median(schedule.map((r) => r.throughput)));

  const lateness = await repeat(
    'lateness',
    runs,
    () => latenessScenario(rate),
    (r) =>
      `p50 ${fmt(r.p50, 0)} ms, p99 ${fmt(r.p99, 0)} ms, max ${fmt(r.max, 0)} ms` +
      `${r.excluded ? `, ${r.excluded} calls excluded (scheduled after their time)` : ''}, peak RSS ${fmt(r.rssMiB, 0)} MiB`,
  );

  const burst = await repeat(
    'burst',
    runs,
    () => burstScenario(rate),
    (r) =>
      `${fmt(r.dialsPerSecond, 0)} dials/s (${BURST_CALLS} in ${fmt(r.drainMs / 1000, 2)} s)` +
      `${r.lateStart ? ' — scheduling overran the due instant' : ''}, peak RSS ${fmt(r.rssMiB, 0)} MiB`,
  );

  const figures: Figure[] = [
    {
      name: `schedule throughput (${SCHEDULE_CALLS} calls, ${SCHEDULE_CLIENTS} clients)`,
      unit: 'req/s',
      runs: schedule.map((r) => r.throughput),
      goal: { op: '>=', value: 3000 },
      digits: 0,
    },
    { name: 'schedule latency p50', unit: 'ms', runs: schedule.map((r) => r.p50) },
    { name: 'schedule latency p99', unit: 'ms', runs: schedule.map((r) => r.p99), goal: { op: '<=', value: 50 } },
    { name: `dispatch lateness p50 (${LATENESS_CALLS} calls over ${LATENESS_WINDOW_MS / 1000} s)`, unit: 'ms', runs: lateness.map((r) => r.p50), digits: 0 },
    { name: 'dispatch lateness p99', unit: 'ms', runs: lateness.map((r) => r.p99), goal: { op: '<=', value: 20 }, digits: 0 },
    { name: 'dispatch lateness max', unit: 'ms', runs: lateness.map((r) => r.max), digits: 0 },
    { name: `burst drain (${BURST_CALLS} due at once)`, unit: 'dials/s', runs: burst.map((r) => r.dialsPerSecond), goal: { op: '>=', value: 2000 }, digits: 0 },
    { name: 'peak RSS, schedule scenario', unit: 'MiB', runs: schedule.map((r) => r.rssMiB), digits: 0 },
    { name: 'peak RSS, lateness scenario', unit: 'MiB', runs: lateness.map((r) => r.rssMiB), digits: 0 },
    { name: 'peak RSS, burst scenario', unit: 'MiB', runs: burst.map((r) => r.rssMiB), digits: 0 },
  ];
  printFigures('dispatch benchmark medians', figures);
  console.log(
    `  (scheduler defaults except ${Object.entries(DISPATCH_ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} in the dispatch scenarios;` +
      ` stand-in ${Object.entries(MOCK_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}, no added latency)`,
  );
}
