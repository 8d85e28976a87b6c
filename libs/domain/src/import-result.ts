// The bulk import's answer (POST /api/calls/import): the API returns it and the dashboard shows it.
export const IMPORT_MODES = ['all-or-nothing', 'accept-valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** One refused row: `row` counts data rows from 1 (the header is not a row). */
export interface ImportError {
  row: number;
  field: string;
  message: string;
}

/** One of the first rows as the file says it, and what the import makes of it. */
export interface ImportPreviewRow {
  row: number;
  outcome: 'new' | 'existing' | 'error';
  phoneNumber?: string;
  scheduledAt?: string;
  timezone?: string;
  callingWindow?: string;
  reference?: string;
  // The instant the call would be due (UTC), for a row that creates one.
  at?: string;
  error?: string;
}

export interface ImportResult {
  mode: ImportMode;
  dryRun: boolean;
  // Whether anything could have been written: false for a dry run and for a refused all-or-nothing import.
  written: boolean;
  rows: number;
  // New calls (in a dry run: the valid new rows, whatever the mode).
  created: number;
  // Rows whose reference was already imported (or repeated in the file) with the same values.
  existing: number;
  errors: ImportError[];
  preview: ImportPreviewRow[];
}
