import { importColumns, importRow } from './call-import.js';
import { DEFAULT_POLICY } from './commands.js';
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

  it('takes a spreadsheet\'s "2027-03-10 09:00" as the local time 2027-03-10T09:00, and hands the calling window on', () => {
    expect(row(['+14155550100', '2027-03-10 09:00', 'America/New_York', 'Mon-Fri 09:00-17:00', 'r']).command).toEqual({
      type: 'ScheduleCall',
      phoneNumber: '+14155550100',
      scheduledAt: '2027-03-10T09:00',
      timezone: 'America/New_York',
      callingWindow: 'Mon-Fri 09:00-17:00',
    });
  });

  it.each([
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', ''], 'reference'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'has space'], 'reference'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'é'], 'reference'],
    [['', '2027-03-10T09:00:00Z', '', '', 'r'], 'phoneNumber'],
    [['+14155550100', '', '', '', 'r'], 'scheduledAt'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', 'r'], 'row'],
    [['+14155550100', '2027-03-10T09:00:00Z', '', '', 'r', 'extra'], 'row'],
  ])('refuses %j naming %s', (cells, field) => {
    expect(fieldOf(() => row(cells))).toBe(field);
  });

  describe("with the decider (the call's own rules), as the import runs it", () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const policy = { ...DEFAULT_POLICY, misfireGraceMs: 60_000 };
    const decided = (cells: string[]) => decide(row(cells).command, initialState('c'), now, policy)[0].data as { scheduledAt: string; callingWindow: unknown };

    it.each([
      [['+1415', '2027-03-10T09:00:00Z', '', '', 'r'], 'phoneNumber'],
      [['+14155550100', '2026-03-10T09:00:00Z', '', '', 'r'], 'scheduledAt'],
      [['+14155550100', 'next tuesday', '', '', 'r'], 'scheduledAt'],
      [['+14155550100', '2027-03-10 09:00', '', '', 'r'], 'scheduledAt'],
      [['+14155550100', '2027-02-30 09:00', 'Europe/Paris', '', 'r'], 'scheduledAt'],
      [['+14155550100', '2027-03-10T09:00:00Z', 'Europe/Nowhere', '', 'r'], 'timezone'],
      [['+14155550100', '2027-03-10 09:00', 'Mars/Olympus', '', 'r'], 'timezone'],
      [['+14155550100', '2027-03-10 09:00', 'Europe/Paris', 'whenever', 'r'], 'callingWindow'],
    ])('refuses %j naming %s', (cells, field) => {
      expect(fieldOf(() => decided(cells))).toBe(field);
    });

    it("reads a local time in the row's zone, across the DST change", () => {
      expect(decided(['+14155550100', '2027-03-10 09:00', 'America/New_York', '', 'r']).scheduledAt).toBe('2027-03-10T14:00:00.000Z');
      expect(decided(['+14155550100', '2027-03-15 09:00', 'America/New_York', '', 'r']).scheduledAt).toBe('2027-03-15T13:00:00.000Z');
      expect(decided(['+14155550100', '2027-03-10T09:00:00Z', 'Europe/Paris', 'Mon-Fri 09:00-17:00', 'r']).callingWindow).toBeTruthy();
    });
  });
});
