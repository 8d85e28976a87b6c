import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dispatchLateness, generateLog, nearestRank, scheduleWindow, startLongReads } from './support/long-read-clients.js';
import { startMock, startScheduler } from './support/processes.js';
import { load, machine, printFigures, type Figure } from './support/stats.js';

// Issue #8: dispatch lateness on a ~100k-event log, quiet and while 5 SSE catch-ups from position 0
// and 5 NDJSON exports run (one of each per client address). 200 calls due over 8 s in each phase;
// CallDispatchStarted.latenessMs p50/p99. Printed, never asserted (test/long-reads.e2e-spec.ts asserts).

const CALLS = 200;
const WINDOW_MS = 8000;
const PAIRS = 5;
const ENV = { DISPATCH_RATE: '1000', DISPATCH_CONCURRENCY: '64' };

interface PhaseResult {
  p50: number;
  p99: number;
}

async function phase(url: string, head: number, withReads: boolean): Promise<PhaseResult> {
  const dueFrom = Date.now() + 4000;
  const ids = await scheduleWindow(url, CALLS, dueFrom, WINDOW_MS);
  await new Promise((r) => setTimeout(r, Math.max(0, dueFrom - 1500 - Date.now())));
  const reads = withReads ? startLongReads(url, PAIRS, head) : Promise.resolve([]);
  await new Promise((r) => setTimeout(r, Math.max(0, dueFrom + WINDOW_MS + 500 - Date.now())));
  await reads;
  const lateness = await dispatchLateness(url, ids);
  return { p50: nearestRank(lateness, 50), p99: nearestRank(lateness, 99) };
}

export async function runLongReadsBench({ runs }: { runs: number }): Promise<void> {
  console.log(`\n== long reads: dispatch lateness with and without ${PAIRS} catch-ups + ${PAIRS} exports (${runs} run(s)) ==`);
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-long-reads-'));
  const databaseUrl = `sqlite:${join(dir, 'calls.db')}`;
  const quiet: PhaseResult[] = [];
  const loaded: PhaseResult[] = [];
  try {
    const generated = await generateLog(databaseUrl, 18_300);
    const mock = await startMock({ MOCK_TIME_SCALE: '0.01' });
    const scheduler = await startScheduler(mock.url, ENV, databaseUrl);
    try {
      for (let run = 1; run <= runs; run++) {
        quiet.push(await phase(scheduler.url, generated.headPosition, false));
        loaded.push(await phase(scheduler.url, generated.headPosition, true));
        console.log(
          `  run ${run}/${runs}: quiet p50 ${quiet.at(-1)!.p50} ms p99 ${quiet.at(-1)!.p99} ms; ` +
            `with long reads p50 ${loaded.at(-1)!.p50} ms p99 ${loaded.at(-1)!.p99} ms (load ${load()})`,
        );
      }
    } finally {
      await scheduler.stop();
      await mock.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figures: Figure[] = [
    { name: 'lateness p50, quiet', unit: 'ms', runs: quiet.map((r) => r.p50), digits: 0 },
    { name: 'lateness p99, quiet', unit: 'ms', runs: quiet.map((r) => r.p99), digits: 0 },
    { name: 'lateness p50, with long reads', unit: 'ms', runs: loaded.map((r) => r.p50), digits: 0 },
    { name: 'lateness p99, with long reads', unit: 'ms', runs: loaded.map((r) => r.p99), goal: { op: '<=', value: 50 }, digits: 0 },
  ];
  printFigures(`long reads on a ${CALLS}-call window (medians of ${runs})`, figures);
}

// `node dist/bench/long-reads.bench.js` runs it on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`machine: ${machine()}`);
  console.log(`load average at start: ${load()}`);
  await runLongReadsBench({ runs: Number(process.env.BENCH_RUNS ?? 1) });
}
