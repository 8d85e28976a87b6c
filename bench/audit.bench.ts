import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load, machine, printFigures, type Figure } from './support/stats.js';

// Audit figures at a million events: `npm run replay` and `npm run audit -- verify`, each run as
// its own process (as an operator runs them) on one generated SQLite log, `runs` times each.
// Events/s and peak RSS come from the child itself (--json: process.resourceUsage().maxRSS).
// Goals of issue #5: replay >= 200,000 events/s with RSS <= 200 MB. Printed, never asserted.
//   AUDIT_BENCH_EVENTS  size of the log (default 1,000,000)
//   AUDIT_BENCH_DB      reuse this SQLite file instead of generating one (it is left in place)

export interface AuditBenchOptions {
  runs?: number;
  events?: number;
}

// Compiled to dist/bench/: the repository root is two levels up.
const ROOT = resolve(import.meta.dirname, '../..');
const AUDIT_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/audit.js');
const REPLAY_CLI = join(ROOT, 'dist/apps/scheduler-api/src/cli/replay.js');

interface ChildReport {
  eventsPerSecond: number;
  maxRssMb: number;
  seconds: number;
  events: number;
  [key: string]: unknown;
}

/** Runs a CLI with --json on `databaseUrl` and returns its report (the last stdout line). */
function runJson(script: string, args: string[], databaseUrl: string): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args, '--json'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const report = JSON.parse(last) as ChildReport;
        // replay/verify exit 1 when they find a difference: a benchmark on a broken log means nothing.
        if (code !== 0) reject(new Error(`${script} ${args.join(' ')} exited ${code}: ${last.slice(0, 500)}`));
        else resolvePromise(report);
      } catch {
        reject(new Error(`${script} ${args.join(' ')} exited ${code} without a JSON report:\n${out.slice(-2000)}\n${err}`));
      }
    });
  });
}

export async function runAuditBench(options: AuditBenchOptions = {}): Promise<void> {
  const runs = options.runs ?? Number(process.env.BENCH_RUNS ?? 3);
  const events = options.events ?? Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
  for (const cli of [AUDIT_CLI, REPLAY_CLI]) {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsc -p tsconfig.build.json)`);
  }
  const reuse = process.env.AUDIT_BENCH_DB;
  const dir = reuse ? null : mkdtempSync(join(tmpdir(), 'call-scheduler-audit-bench-'));
  const databaseUrl = `sqlite:${reuse ?? join(dir!, 'audit.db')}`;
  console.log(`\naudit benchmark: ${events.toLocaleString('en-US')} events, ${runs} run(s) of each command, ${databaseUrl}`);

  try {
    if (!reuse) {
      const generated = await runJson(AUDIT_CLI, ['generate', '--events', String(events), '--seed', '1'], databaseUrl);
      console.log(
        `  generated ${(generated.calls as number).toLocaleString('en-US')} calls, ${generated.events.toLocaleString('en-US')} events ` +
          `in ${generated.seconds.toFixed(1)} s (${generated.eventsPerSecond.toLocaleString('en-US')} events/s, peak RSS ${generated.maxRssMb} MB)`,
      );
    }
    const replay: ChildReport[] = [];
    const verify: ChildReport[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate, so a slow patch of the machine does not land on one command only.
      replay.push(await runJson(REPLAY_CLI, [], databaseUrl));
      verify.push(await runJson(AUDIT_CLI, ['verify'], databaseUrl));
      console.log(
        `  run ${i + 1}: replay ${replay[i].eventsPerSecond.toLocaleString('en-US')} events/s (${replay[i].maxRssMb} MB), ` +
          `verify ${verify[i].eventsPerSecond.toLocaleString('en-US')} events/s (${verify[i].maxRssMb} MB), load ${load()}`,
      );
    }
    const figures: Figure[] = [
      { name: 'replay throughput', unit: 'events/s', runs: replay.map((r) => r.eventsPerSecond), goal: { op: '>=', value: 200_000 }, digits: 0 },
      { name: 'replay peak RSS', unit: 'MB', runs: replay.map((r) => r.maxRssMb), goal: { op: '<=', value: 200 }, digits: 0 },
      { name: 'replay wall time', unit: 's', runs: replay.map((r) => r.seconds), digits: 2 },
      { name: 'verify throughput', unit: 'events/s', runs: verify.map((r) => r.eventsPerSecond), digits: 0 },
      { name: 'verify peak RSS', unit: 'MB', runs: verify.map((r) => r.maxRssMb), goal: { op: '<=', value: 200 }, digits: 0 },
      { name: 'verify wall time', unit: 's', runs: verify.map((r) => r.seconds), digits: 2 },
    ];
    printFigures(`audit at ${replay[0]?.events.toLocaleString('en-US')} events (medians of ${runs}; each command its own process)`, figures);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

// `node dist/bench/audit.bench.js` runs it on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`machine: ${machine()}`);
  console.log(`load average at start: ${load()}`);
  await runAuditBench();
}
