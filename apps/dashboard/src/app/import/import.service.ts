import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { ImportMode, ImportResult } from '@call-scheduler/domain/import-result';

/** POST /api/calls/import: the file as the body (text/csv, sent as it is, never read into a string here). */
@Injectable({ providedIn: 'root' })
export class ImportService {
  private readonly http = inject(HttpClient);

  /** Checks the file and previews it; nothing is written. */
  preview(file: Blob, mode: ImportMode): Promise<ImportResult> {
    return this.send(file, mode, true);
  }

  /** Imports the file. An all-or-nothing import refused for its rows (422) answers with its result, not an error. */
  run(file: Blob, mode: ImportMode): Promise<ImportResult> {
    return this.send(file, mode, false);
  }

  private async send(file: Blob, mode: ImportMode, dryRun: boolean): Promise<ImportResult> {
    const headers = new HttpHeaders({ 'Content-Type': 'text/csv' });
    const params = { mode, ...(dryRun ? { dryRun: 'true' } : {}) };
    try {
      return await firstValueFrom(this.http.post<ImportResult>('/api/calls/import', file, { headers, params }));
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 422 && isImportResult(error.error)) return error.error;
      throw error;
    }
  }
}

function isImportResult(body: unknown): body is ImportResult {
  return typeof body === 'object' && body !== null && Array.isArray((body as ImportResult).errors) && typeof (body as ImportResult).created === 'number';
}
