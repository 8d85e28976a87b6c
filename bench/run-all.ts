import { runAuditBench } from './audit.bench.js';
import { runBullmqBench } from './bullmq.bench.js';
import { runClusterBench } from './cluster.bench.js';
import { runDispatchBench } from './dispatch.bench.js';
import { runImportBench } from './import.bench.js';
import { runLongReadsBench } from './long-reads.bench.js';
import { runScheduleBench } from './schedule.bench.js';
import { load, machine } from './support/stats.js';

// `npm run bench`: builds the server (npm script), then runs every benchmark against the built
// service as its own process. Figures are printed, not asserted. BENCH_RUNS (default 3) sets how
// many times each scenario runs; BENCH_ONLY=dispatch|audit|long-reads|import|bullmq|cluster runs one group
// (cluster: 1 vs 3 instances on PostgreSQL);
// BENCH_ONLY=schedule runs scheduling alone (BENCH_ENGINE=sqlite|postgres, BENCH_INSTANCES; not in the default run).
// BENCH_SIDES=ours (with BENCH_ONLY=bullmq) runs only this service's side, e.g. to profile it (BENCH_CPU_PROF=dir).

const runs = Number(process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  process.exit(2);
}
const only = process.env.BENCH_ONLY;

console.log(`machine: ${machine()}`);
console.log(`load average at start: ${load()}`);

const started = Date.now();
if (!only || only === 'dispatch') await runDispatchBench({ runs });
if (!only || only === 'audit') await runAuditBench({ runs });
if (!only || only === 'long-reads') await runLongReadsBench({ runs });
if (!only || only === 'import') await runImportBench({ runs });
if (!only || only === 'bullmq') await runBullmqBench({ runs });
if (!only || only === 'cluster') await runClusterBench({ runs });
if (only === 'schedule') await runScheduleBench({ runs });
console.log(`\nall benchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
