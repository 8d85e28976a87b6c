import { parseArgs } from 'node:util';
import { replayProjection, type ReplayReport } from '#persistence/audit';
import { fmt, openDatabase, peakRssMb, periodicGc, Progress, runCli } from './cli-support.js';

const USAGE = `usage: npm run replay [-- --apply] [--show N] [--keep-table] [--json]
  Rebuilds the call projection from the event log into call_views_replay (and the series projection), compares it row by row
  with call_views and reports the differences. --apply swaps the rebuilt rows in (one transaction).
  Exit 0 when they match (or were applied), 1 when they differ or the log has anomalies.
  The database is DATABASE_URL's, as for the service (default sqlite:data/calls.db).`;

runCli(async () => {
  const { values } = parseArgs({
    options: {
      apply: { type: 'boolean' },
      show: { type: 'string' },
      'keep-table': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const show = values.show === undefined ? 20 : Number(values.show);
  if (!Number.isSafeInteger(show) || show < 0) throw new Error(`--show must be a whole number (got "${values.show}")`);

  const db = await openDatabase();
  let report: ReplayReport;
  try {
    const fold = new Progress('replay');
    const collect = periodicGc();
    report = await replayProjection(db, {
      apply: values.apply,
      show,
      keepTable: values['keep-table'],
      onProgress: (p) => {
        collect(p.events);
        if (!values.json && p.phase === 'fold') fold.update(p.events, p.totalEvents, p.eventsPerSecond, `, ${fmt(p.openCalls)} open calls`);
      },
    });
    fold.done();
  } finally {
    await db.close();
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, maxRssMb: peakRssMb() })}\n`);
  } else {
    printReport(report);
  }
  const seriesClean = report.series.differences === 0 || report.series.applied;
  const clean = (report.differences === 0 || report.applied) && seriesClean && report.anomalies === 0;
  return clean ? 0 : 1;
});

function printReport(r: ReplayReport): void {
  const lines = [
    `replayed ${fmt(r.events)} events (up to position ${r.headPosition}) into ${fmt(r.replayedRows)} call rows in ${r.seconds.toFixed(2)} s ` +
      `(${fmt(r.eventsPerSecond)} events/s; fold ${r.foldSeconds.toFixed(2)} s), peak RSS ${peakRssMb()} MB`,
    `live call_views: ${fmt(r.liveRows)} rows; differences: ${fmt(r.differences)}`,
  ];
  for (const d of r.firstDifferences) {
    if (d.kind === 'missing') lines.push(`  ${d.id}: in the log but missing from call_views`);
    else if (d.kind === 'extra') lines.push(`  ${d.id}: in call_views but not in the log`);
    else
      lines.push(`  ${d.id}: ${(d.columns ?? []).map((c) => `${c.column} live=${JSON.stringify(c.live)} replayed=${JSON.stringify(c.replayed)}`).join('; ')}`);
  }
  if (r.differences > r.firstDifferences.length) lines.push(`  … and ${fmt(r.differences - r.firstDifferences.length)} more`);
  if (r.anomalies > 0) {
    lines.push(`log anomalies: ${fmt(r.anomalies)} (run npm run audit -- verify)`);
    for (const a of r.firstAnomalies) lines.push(`  position ${a.position} (stream ${a.streamId}): ${a.message}`);
  }
  const s = r.series;
  lines.push(
    `series: ${fmt(s.events)} events into ${fmt(s.replayedRows)} rows; live series_views: ${fmt(s.liveRows)} rows; differences: ${fmt(s.differences)}`,
  );
  for (const d of s.firstDifferences) lines.push(`  series ${d.id}: ${d.kind}${d.columns ? ` (${d.columns.join(', ')})` : ''}`);
  if (s.applied) lines.push('applied: series_views now holds the replayed rows');
  if (r.applied) lines.push('applied: call_views now holds the replayed rows');
  else if (r.differences > 0) lines.push('not applied: run with --apply to replace call_views with the replayed rows');
  process.stdout.write(`${lines.join('\n')}\n`);
}
