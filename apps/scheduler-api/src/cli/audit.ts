import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { generateCalls } from '#testing';
import { exportLog, lastPosition, parseAnchor, verifyDatabase, verifyFile, type VerifyReport } from '#persistence/audit';
import { fmt, openDatabase, peakRssMb, periodicGc, Progress, runCommands } from './cli-support.js';

const USAGE = `usage: npm run audit -- <command>
  verify [--file F] [--anchor POSITION:HASH] [--json]
      check the hash chain, positions and stream versions of the log (or of an exported file, offline);
      exit 0 when intact, 1 naming the first bad position
  export [FILE]
      write the log as NDJSON with its hashes (stdout without FILE)
  generate (--calls N | --events N) [--seed S] [--start ISO] [--json]
      fill the database with realistic calls (for tests and benchmarks)
The database is DATABASE_URL's, as for the service (default sqlite:data/calls.db).`;

runCommands(USAGE, { verify, export: exportCommand, generate });

async function verify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, anchor: { type: 'string' }, json: { type: 'boolean' } } });
  const anchor = values.anchor ? parseAnchor(values.anchor) : null;
  let report: VerifyReport;
  if (values.file) {
    report = await verifyFile(values.file, { anchor });
  } else {
    const db = await openDatabase();
    try {
      const total = await lastPosition(db);
      const progress = new Progress('verify');
      const collect = periodicGc();
      const started = performance.now();
      report = await verifyDatabase(db, {
        anchor,
        onProgress: (checked) => {
          collect(checked);
          if (!values.json) progress.update(checked, total, checked / ((performance.now() - started) / 1000));
        },
      });
      progress.done();
    } finally {
      await db.close();
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, maxRssMb: peakRssMb() })}\n`);
  } else if (report.problem) {
    const p = report.problem;
    process.stdout.write(`log NOT intact: first bad position ${p.position} (${p.kind}): ${p.message}\n`);
    process.stdout.write(`checked ${fmt(report.events)} rows before stopping (${report.findings} failed a check)\n`);
  } else {
    process.stdout.write(
      `log intact: ${fmt(report.events)} events in ${fmt(report.streams)} streams, head ${report.headPosition}:${report.headHash}\n` +
        `${report.seconds.toFixed(2)} s, ${fmt(report.eventsPerSecond)} events/s, peak RSS ${peakRssMb()} MB\n`,
    );
  }
  return report.ok ? 0 : 1;
}

async function exportCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const db = await openDatabase();
  try {
    const out = positionals[0] ? createWriteStream(positionals[0]) : process.stdout;
    // A reader that goes away (| head) ends the export quietly.
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
    const started = performance.now();
    const count = await exportLog(db, out);
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`exported ${fmt(count)} events${positionals[0] ? ` to ${positionals[0]}` : ''} in ${seconds.toFixed(2)} s\n`);
    return 0;
  } finally {
    await db.close();
  }
}

async function generate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      calls: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const count = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got "${raw}")`);
    return n;
  };
  const calls = count('calls', values.calls);
  const events = count('events', values.events);
  if (calls === undefined && events === undefined) throw new Error(`generate needs --calls N or --events N\n${USAGE}`);
  const start = values.start ? new Date(values.start) : undefined;
  if (start && Number.isNaN(start.getTime())) throw new Error(`--start must be an ISO-8601 date-time (got "${values.start}")`);

  const db = await openDatabase();
  try {
    const progress = new Progress('generate');
    const collect = periodicGc();
    const started = performance.now();
    const target = events ?? (calls ?? 0) * 6;
    const report = await generateCalls(db, {
      calls,
      events,
      seed: count('seed', values.seed),
      start,
      onProgress: (n) => {
        collect(n);
        if (!values.json) progress.update(n, target, n / ((performance.now() - started) / 1000));
      },
    });
    progress.done();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, maxRssMb: peakRssMb() })}\n`);
    } else {
      const statuses = Object.entries(report.byStatus)
        .sort((a, b) => b[1] - a[1])
        .map(([status, n]) => `${status} ${fmt(n)}`)
        .join(', ');
      process.stdout.write(
        `generated ${fmt(report.calls)} calls, ${fmt(report.events)} events in ${report.seconds.toFixed(1)} s (${fmt(report.eventsPerSecond)} events/s)\n` +
          `statuses: ${statuses}\nhead ${report.headPosition}:${report.headHash}\n`,
      );
    }
    return report.rejected === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}
