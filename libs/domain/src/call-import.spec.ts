import { importColumns, importRow, localToInstant } from './call-import.js';
import { decide } from './decide.js';
import { initialState } from './call-state.js';
import { DomainError } from './domain-error.js';

const HEADER = ['phoneNumber', 'scheduledAt', 'timezone', 'callingWindow', 'reference'];
const columns = importColumns(HEADER);
const row = (cells: string[]) => importRow(cells, columns, HEADER.length);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.field;
    throw error;
  }
  return undefined;
}

describe('importColumns', () => {
  it('reads the header case-insensitively, with spaces, dashes and underscores ignored, and short names', () => {
    expect(importColumns(['Phone Number', 'scheduled_at', 'TIME-ZONE', 'reference'])).toEqual({ phoneNumber: 0, scheduledAt: 1, timezone: 2, reference: 3 });
    expect(importColumns(['reference', 'phone', 'time'])).toEqual({ reference: 0, phoneNumber: 1, scheduledAt: 2 });
    expect(importColumns(['Window', 'Zone', 'client reference', 'phone', 'time'])).toEqual({
      callingWindow: 0,
      timezone: 1,
      reference: 2,
      phoneNumber: 3,
      scheduledAt: 4,
    });
  });

  it.each([
    [['phoneNumber', 'scheduledAt', 'reference', 'name'], 'name', /unknown column "name"/],
    [['phoneNumber', 'scheduledAt'], 'reference', /lacks the column reference/],
    [['timezone', 'reference'], 'phoneNumber', /lacks the columns phoneNumber, scheduledAt/],
    [['phone', 'phoneNumber', 'scheduledAt', 'reference'], 'phoneNumber', /appears twice/],
  ])('refuses the header %j naming %s', (header, field, message) => {
    expect(() => importColumns(header)).toThrow(message);
    expect(fieldOf(() => importColumns(header))).toBe(field);
  });
});

describe('importRow', () => {
  it('turns a row into a ScheduleCall and its reference, trimming cells and leaving empty ones out', () => {
    expect(row([' +14155550100 ', '2027-03-10T09:00:00Z', '', '', ' ref-1 '])).toEqual({
      reference: 'ref-1',
      command: { type: 'ScheduleCall', phoneNumber: '+14155550100', scheduledAt: '2027-03-10T09:00:00Z', timezone: undefined },
    });
  });

  it("reads a time without an offset in the row's zone", () => {
    expect(row(['+14155550100', '2027-03-10 09:00', 'America/New_York', '', 'r']).command.scheduledAt).toBe('2027-03-10T09:00:00-05:00');
    expect(row(['+14155550100', '2027-03-15T09:00', 'America/New_York', '', 'r']).command.scheduledAt).toBe('2027-03-15T09:00:00-04:00');
  });

  it('hands the calling window on when the cell has one', () => {
    expect(row(['+14155550100', '2027-03-10T09:00:00Z', '', 'Mon-Fri 09:00-17:00', 'r']).callingWindow).toBe('Mon-Fri 09:00-17:00');
  });

  it.each([
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', ''], 'reference'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'has space'], 'reference'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'é'], 'reference'],
    [['', '2027-03-10T09:00:00Z', '', '', 'r'], 'phoneNumber'],
    [['+14155550100', '', '', '', 'r'], 'scheduledAt'],
    [['+14155550100', '2027-03-10 09:00', '', '', 'r'], 'scheduledAt'],
    [['+14155550100', '2027-02-30 09:00', 'Europe/Paris', '', 'r'], 'scheduledAt'],
    [['+14155550100', '2027-03-10 09:00', 'Mars/Olympus', '', 'r'], 'timezone'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', 'r'], 'row'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'r', 'extra'], 'row'],
  ])('refuses %j naming %s', (cells, field) => {
    expect(fieldOf(() => row(cells))).toBe(field);
  });

  it("leaves the call's own rules to the decider, which names the field", () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const policy = { maxAttempts: 3, misfireGraceMs: 60_000, retryBaseMs: 1000, retryMaxMs: 60_000, idempotentProvider: false };
    const check = (cells: string[]) => fieldOf(() => decide(row(cells).command, initialState('c'), now, policy));
    expect(check(['+1415', '2027-03-10T09:00:00Z', '', '', 'r'])).toBe('phoneNumber');
    expect(check(['+14155550100', '2026-03-10T09:00:00Z', '', '', 'r'])).toBe('scheduledAt');
    expect(check(['+14155550100', '2027-03-10T09:00:00Z', 'Europe/Nowhere', '', 'r'])).toBe('timezone');
    expect(check(['+14155550100', '2027-03-10T09:00:00Z', 'Europe/Paris', '', 'r'])).toBeUndefined();
  });
});

describe('localToInstant', () => {
  it('refuses a time the clocks skip (spring forward) and takes the earlier of a time they pass twice', () => {
    expect(() => localToInstant('2027-03-14 02:30', 'America/New_York')).toThrow(/does not exist in America\/New_York/);
    expect(localToInstant('2027-11-07 01:30', 'America/New_York')).toBe('2027-11-07T01:30:00-04:00');
    expect(() => localToInstant('2027-03-28 02:30', 'Europe/Berlin')).toThrow(/clocks skip it/);
    expect(localToInstant('2027-10-31 02:30', 'Europe/Berlin')).toBe('2027-10-31T02:30:00+02:00');
  });

  it('keeps seconds and works for zones with odd offsets', () => {
    expect(localToInstant('2027-06-01 09:15:30', 'Asia/Kathmandu')).toBe('2027-06-01T09:15:30+05:45');
    expect(localToInstant('2027-06-01T09:00', 'Australia/Lord_Howe')).toBe('2027-06-01T09:00:00+10:30');
  });
});
