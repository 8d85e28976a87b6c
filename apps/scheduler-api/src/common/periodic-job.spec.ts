import type { Logger } from '@nestjs/common';
import { PeriodicJob } from './periodic-job.js';

function recordingLogger() {
  const lines: string[] = [];
  const logger = { log: (m: string) => void lines.push(`log ${m}`), error: (m: string) => void lines.push(`error ${m}`) } as unknown as Logger;
  return { lines, logger };
}

describe('PeriodicJob', () => {
  it('backs off on failures up to the limit, never rejects, and says when it works again', async () => {
    const { lines, logger } = recordingLogger();
    let fails = 3;
    const job = new PeriodicJob(() => (fails-- > 0 ? Promise.reject(new Error('database is down')) : Promise.resolve()), {
      what: 'sweeping',
      everyMs: 100,
      maxBackoffMs: 500,
      logger,
    });
    job.stop(); // runs by hand: no timer armed
    for (let i = 0; i < 4; i++) await expect(job.run()).resolves.toBeUndefined();
    expect(lines).toEqual([
      'error sweeping failed (1 in a row), retrying in 200 ms: database is down',
      'error sweeping failed (2 in a row), retrying in 400 ms: database is down',
      'error sweeping failed (3 in a row), retrying in 500 ms: database is down',
      'log sweeping: working again after 3 failed runs',
    ]);
  });

  it('runs again after each run until stopped', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    const job = new PeriodicJob(() => Promise.resolve(++runs), { what: 'ticking', everyMs: 5, maxBackoffMs: 50, logger });
    job.start();
    await new Promise((r) => setTimeout(r, 60));
    job.stop();
    const seen = runs;
    expect(seen).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(seen);
    expect(job.stopped).toBe(true);
  });
});
