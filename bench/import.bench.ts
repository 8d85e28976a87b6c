import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMock, startScheduler } from './support/processes.js';
import { load, machine, printFigures, type Figure } from './support/stats.js';

// Bulk import (issue #13): POST /api/calls/import with IMPORT_BENCH_ROWS rows (default 100,000)
// of valid calls, into a fresh SQLite log per run, against the built service as its own process.
// Measures the whole request (upload, parse, check, write, answer): rows/s. Also a dry run of the
// same file (parse and check only) and a repeat (every reference already recorded). Printed, never asserted.

export interface ImportBenchOptions {
  runs?: number;
  rows?: number;
}

interface ImportAnswer {
  created: number;
  existing: number;
  errors: unknown[];
}

/** `rows` valid rows: a distinct number each, half with an offset and half a local time in the row's zone. */
function csv(rows: number): Buffer {
  const lines = ['phoneNumber,scheduledAt,timezone,callingWindow,reference'];
  for (let i = 1; i <= rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const phone = `+1415${String(2_000_000 + i).padStart(7, '0')}`;
    lines.push(
      i % 2 === 0
        ? `${phone},2030-02-${day}T09:30:00+01:00,Europe/Paris,,bench-${i}`
        : `${phone},2030-02-${day} 09:30,America/New_York,Mon-Sat 08:00-21:00,bench-${i}`,
    );
  }
  return Buffer.from(lines.join('\n'));
}

async function post(url: string, body: Buffer, query: string): Promise<{ seconds: number; answer: ImportAnswer }> {
  const started = performance.now();
  const res = await fetch(`${url}/api/calls/import${query}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  const answer = (await res.json()) as ImportAnswer;
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  return { seconds, answer };
}

export async function runImportBench(options: ImportBenchOptions = {}): Promise<void> {
  const runs = options.runs ?? Number(process.env.BENCH_RUNS ?? 3);
  const rows = options.rows ?? Number(process.env.IMPORT_BENCH_ROWS ?? 100_000);
  const body = csv(rows);
  console.log(
    `\nimport benchmark: ${rows.toLocaleString('en-US')} rows (${(body.length / 1024 / 1024).toFixed(1)} MiB of CSV), ${runs} run(s), a fresh SQLite log each`,
  );
  const mock = await startMock();
  const dry: number[] = [];
  const write: number[] = [];
  const repeat: number[] = [];
  const rss: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const scheduler = await startScheduler(mock.url);
      try {
        const checked = await post(scheduler.url, body, '?dryRun=true');
        const imported = await post(scheduler.url, body, '');
        const again = await post(scheduler.url, body, '');
        if (imported.answer.created !== rows || again.answer.existing !== rows || checked.answer.errors.length > 0) {
          throw new Error(`unexpected answers: created ${imported.answer.created}, existing ${again.answer.existing}, errors ${checked.answer.errors.length}`);
        }
        dry.push(rows / checked.seconds);
        write.push(rows / imported.seconds);
        repeat.push(rows / again.seconds);
        rss.push(scheduler.peakRssMiB());
        console.log(
          `  run ${i + 1}: import ${Math.round(rows / imported.seconds).toLocaleString('en-US')} rows/s (${imported.seconds.toFixed(1)} s), ` +
            `dry run ${Math.round(rows / checked.seconds).toLocaleString('en-US')} rows/s, repeat ${Math.round(rows / again.seconds).toLocaleString('en-US')} rows/s, ` +
            `peak RSS ${rss[i].toFixed(0)} MiB, load ${load()}`,
        );
      } finally {
        await scheduler.stop();
      }
    }
  } finally {
    await mock.stop();
  }
  const figures: Figure[] = [
    { name: 'import (written)', unit: 'rows/s', runs: write, digits: 0 },
    { name: 'dry run (checked only)', unit: 'rows/s', runs: dry, digits: 0 },
    { name: 'repeat (all existing)', unit: 'rows/s', runs: repeat, digits: 0 },
    { name: 'scheduler peak RSS', unit: 'MiB', runs: rss, digits: 0 },
  ];
  printFigures(`bulk import of ${rows.toLocaleString('en-US')} rows (medians of ${runs}; one request each, SQLite)`, figures);
}

// `node dist/bench/import.bench.js` runs it on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`machine: ${machine()}`);
  console.log(`load average at start: ${load()}`);
  await runImportBench();
}
