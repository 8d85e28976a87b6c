import { parseNdjsonLine, toNdjsonLine } from './audit/ndjson.js';
import { decodeEventRow, EVENT_COLUMNS, EVENT_FIELDS, eventRowValues, eventSelect, type EventRow } from './event-row.js';

const row: EventRow = {
  position: 7,
  eventId: '00000000-0000-4000-8000-000000000007',
  streamId: 'call-1',
  version: 2,
  type: 'CallScheduled',
  schemaVersion: 3,
  data: '{"phoneNumber":"+14155550100"}',
  metadata: '{"actor":"api"}',
  occurredAt: '2026-03-01T09:00:00.000Z',
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('event row codec', () => {
  it('names every column once, in the export order', () => {
    expect(EVENT_FIELDS).toEqual(['position', 'eventId', 'streamId', 'version', 'type', 'schemaVersion', 'data', 'metadata', 'occurredAt', 'prevHash', 'hash']);
    expect(EVENT_COLUMNS).toEqual([
      'position',
      'event_id',
      'stream_id',
      'version',
      'type',
      'schema_version',
      'data',
      'metadata',
      'occurred_at',
      'prev_hash',
      'hash',
    ]);
  });

  it('selects columns under their field names, quoted so PostgreSQL keeps the case', () => {
    expect(eventSelect(['position', 'streamId', 'schemaVersion'])).toBe('position, stream_id AS "streamId", schema_version AS "schemaVersion"');
    expect(eventSelect().split(', ')).toHaveLength(EVENT_FIELDS.length);
  });

  it('gives insert values in column order', () => {
    expect(eventRowValues(row)).toEqual([
      row.position,
      row.eventId,
      row.streamId,
      row.version,
      row.type,
      row.schemaVersion,
      row.data,
      row.metadata,
      row.occurredAt,
      row.prevHash,
      row.hash,
    ]);
  });

  it('reads the integers PostgreSQL returns as text as numbers, and leaves the text alone', () => {
    const fromPg = { ...row, position: '7', version: '2', schemaVersion: '3' } as unknown as EventRow;
    expect(decodeEventRow(fromPg)).toEqual(row);
    // A partial select (the projection fold) decodes only what it read.
    expect(decodeEventRow({ position: '9' as unknown as number, data: '12' })).toEqual({ position: 9, data: '12' });
  });

  it('writes an NDJSON line in field order that parses back to the same row', () => {
    const shuffled = Object.fromEntries(Object.entries(row).reverse()) as unknown as EventRow;
    const line = toNdjsonLine(shuffled);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(EVENT_FIELDS);
    expect(parseNdjsonLine(line)).toEqual(row);
  });

  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['an array', '[1]', 'not a JSON object'],
    ['a text position', JSON.stringify({ ...row, position: '7' }), 'field position is missing or not an integer'],
    ['a missing hash', JSON.stringify({ ...row, hash: undefined }), 'field hash is missing or not a string'],
  ])('names what is wrong with a line that is %s', (_name, line, reason) => {
    expect(parseNdjsonLine(line)).toBe(reason);
  });
});
