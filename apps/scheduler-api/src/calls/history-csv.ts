import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import type { CallView, Page } from '#domain';

// The columns of the export, in order: the call view's fields a spreadsheet user reads.
export const HISTORY_CSV_COLUMNS: readonly (keyof CallView)[] = [
  'id',
  'phoneNumber',
  'status',
  'scheduledAt',
  'timezone',
  'callingWindow',
  'attempts',
  'duration',
  'latenessMs',
  'providerCallId',
  'providerStatus',
  'lastError',
  'deadline',
  'createdAt',
  'dispatchedAt',
  'connectedAt',
  'endedAt',
  'updatedAt',
];

// Rows per database read: each page is its own short read, so writers are never held up by an export.
const EXPORT_PAGE = 500;

/** Asked for CSV: `?format=csv`, or an Accept header that names text/csv (and not JSON first). */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

/**
 * The history as CSV, streamed: pages are read one after another as the client takes them, with
 * the same filters and order as the JSON pages. `limit` caps the rows (all of them when absent).
 */
export function historyCsv(readPage: (limit: number, cursor: string | undefined) => Promise<Page<CallView>>, cursor?: string, limit?: number): StreamableFile {
  async function* rows(): AsyncGenerator<CallView> {
    let left = limit ?? Number.POSITIVE_INFINITY;
    for (let next = cursor; left > 0;) {
      const page = await readPage(Math.min(EXPORT_PAGE, left), next);
      yield* page.items;
      left -= page.items.length;
      if (page.nextCursor === null) return;
      next = page.nextCursor;
    }
  }
  const csv = Readable.from(rows()).pipe(stringify({ header: true, columns: HISTORY_CSV_COLUMNS }));
  return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="call-history.csv"' });
}
