import { newId } from '#persistence';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DomainError,
  DomainErrorCode,
  importColumns,
  importRow,
  initialState,
  type ImportColumns,
  type ImportMode,
  type ImportPreviewRow,
  type ImportResult,
} from '#domain';
import type { EventMetadata } from '#persistence';
import { Clock } from '../../common/clock.js';
import { CallCommandsService } from '../../commands/call-commands.service.js';
import { scheduleRequestHash } from '../schedule-request-hash.js';
import { importTooLarge, limitBytes, MAX_IMPORT_ROWS } from './import-limits.js';
import { ImportWriter, type ReadResult } from './import-writer.js';

const PREVIEW_ROWS = 20;

/**
 * POST /api/calls/import: every row is an ordinary ScheduleCall, decided by the same decider and
 * written as an ordinary CallScheduled with its reference as the idempotency key. The whole file is
 * read and checked first, so all-or-nothing writes nothing when a row is bad; then the new rows are
 * written many appends per transaction.
 */
@Injectable()
export class CallImportService {
  constructor(
    private readonly commands: CallCommandsService,
    private readonly writer: ImportWriter,
    private readonly clock: Clock,
  ) {}

  async import(body: Readable, mode: ImportMode, dryRun: boolean, metadata: EventMetadata): Promise<ImportResult> {
    const read = await this.read(body);
    await this.writer.dropRecorded(read, read.accepted);
    read.errors.sort((a, b) => a.row - b.row);
    const refused = mode === 'all-or-nothing' && read.errors.length > 0;
    // A dry run counts the valid new rows whatever the mode: what the file would create once its bad rows are fixed or skipped.
    const created = dryRun ? read.accepted.length : refused ? 0 : await this.writer.write(read, metadata);
    return { mode, dryRun, written: !dryRun && !refused, rows: read.rows, created, existing: read.existing, errors: read.errors, preview: read.preview };
  }

  /** Parses and checks every row as it streams in; the body is never held as one string. */
  private async read(body: Readable): Promise<ReadResult> {
    const result: ReadResult = { rows: 0, accepted: [], existing: 0, errors: [], preview: [] };
    const seen = new Map<string, { row: number; requestHash: string }>();
    // One instant for the whole file: every row is judged (and its event dated) as of the request.
    const now = this.clock.now();
    let columns: ImportColumns | undefined;
    let width = 0;
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 64 * 1024 });
    try {
      await pipeline(limitBytes(body), parser, async (records: AsyncIterable<string[]>) => {
        for await (const record of records) {
          if (!columns) {
            columns = importColumns(record);
            width = record.length;
            continue;
          }
          if (++result.rows > MAX_IMPORT_ROWS) throw importTooLarge(`more than ${MAX_IMPORT_ROWS} rows`);
          this.check(record, columns, width, now, seen, result);
        }
      });
    } catch (error) {
      // Whatever the client still sends is read and dropped, so the answer can reach it.
      body.resume();
      throw csvSyntaxError(error) ?? error;
    }
    if (!columns) throw new DomainError(DomainErrorCode.InvalidImport, 'the file is empty: the first line must name the columns', 'body');
    return result;
  }

  private check(
    record: string[],
    columns: ImportColumns,
    width: number,
    now: Date,
    seen: Map<string, { row: number; requestHash: string }>,
    result: ReadResult,
  ): void {
    const row = result.rows;
    const preview: ImportPreviewRow | undefined = row <= PREVIEW_ROWS ? { row, outcome: 'error', ...cells(record, columns) } : undefined;
    if (preview) result.preview.push(preview);
    const refuse = (field: string, message: string) => {
      result.errors.push({ row, field, message });
      if (preview) preview.error = message;
    };
    try {
      const { reference, command } = importRow(record, columns, width);
      const requestHash = scheduleRequestHash(command);
      const earlier = seen.get(reference);
      if (earlier) {
        if (earlier.requestHash !== requestHash) return refuse('reference', `reference ${reference} is also on row ${earlier.row} with other values`);
        result.existing += 1;
        if (preview) preview.outcome = 'existing';
        return;
      }
      const callId = newId();
      const [event] = this.commands.decideOnly(command, initialState(callId), now);
      seen.set(reference, { row, requestHash });
      if (preview) Object.assign(preview, { outcome: 'new', at: (event.data as { scheduledAt: string }).scheduledAt });
      result.accepted.push({ row, reference, requestHash, callId, event, preview });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refuse(error.field ?? 'row', error.message);
    }
  }
}

/** What the row says, as written (for the preview), by column name. */
function cells(record: readonly string[], columns: ImportColumns): Partial<ImportPreviewRow> {
  const out: Record<string, string> = {};
  for (const [column, index] of Object.entries(columns)) {
    const value = record[index]?.trim();
    if (value) out[column] = value;
  }
  return out;
}

/** csv-parse's own errors (an unclosed quote, a record too long) as a 400 naming the line. */
function csvSyntaxError(error: unknown): DomainError | null {
  const csv = error as { code?: unknown; message?: string; lines?: number } | null;
  if (typeof csv?.code !== 'string' || !csv.code.startsWith('CSV_')) return null;
  return new DomainError(DomainErrorCode.InvalidImport, `the body is not valid CSV: ${csv.message ?? csv.code}`, 'body');
}
