import type { Writable } from 'node:stream';
import type { Database } from '../database.js';
import { eventPages } from '../event-log.js';
import { toNdjsonLine } from './ndjson.js';

/**
 * Writes the whole log as NDJSON, one row per line in position order, with its hashes: `data` and
 * `metadata` are the exact JSON text the hash covers, so the file verifies offline. Respects
 * back-pressure, so memory stays flat however slow the reader. Returns the number of rows written.
 */
export async function exportLog(db: Database, out: Writable, pageSize = 5000): Promise<number> {
  let count = 0;
  for await (const page of eventPages(db, { pageSize })) {
    let chunk = '';
    for (const row of page) chunk += toNdjsonLine(row) + '\n';
    count += page.length;
    if (!out.write(chunk)) await waitForDrain(out);
  }
  return count;
}

function waitForDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('error', done);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the output closed before the export finished'));
    out.once('drain', onDrain);
    out.once('error', done);
    out.once('close', onClose);
  });
}
