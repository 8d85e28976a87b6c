import { EVENT_FIELDS, isIntegerField, orderedEventRow, type EventRow } from '../event-row.js';

// The export file format: one events row per line, fields in EVENT_FIELDS order, `data` and
// `metadata` as the exact JSON text the hash covers, so the file verifies offline.

/** The NDJSON line of a row, without the newline. */
export function toNdjsonLine(row: EventRow): string {
  return JSON.stringify(orderedEventRow(row));
}

/** Parses an exported line back into a row; returns the reason instead when the line is not one. */
export function parseNdjsonLine(line: string): EventRow | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const field of EVENT_FIELDS) {
    const numeric = isIntegerField(field);
    if (numeric ? !Number.isSafeInteger(v[field]) : typeof v[field] !== 'string') {
      return `field ${field} is missing or not ${numeric ? 'an integer' : 'a string'}`;
    }
  }
  return v as unknown as EventRow;
}
