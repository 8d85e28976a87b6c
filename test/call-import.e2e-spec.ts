import { parse } from 'csv-parse/sync';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, phoneNumber } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

const HEADER = 'phoneNumber,scheduledAt,timezone,callingWindow,reference';

// One kind of bad row per cycle: the cell(s) it spoils and the field the answer must name.
const BAD_KINDS: { field: string; spoil: (cells: string[]) => string[] }[] = [
  { field: 'phoneNumber', spoil: (c) => ['+1415', ...c.slice(1)] },
  { field: 'phoneNumber', spoil: (c) => ['', ...c.slice(1)] },
  { field: 'scheduledAt', spoil: (c) => [c[0], 'next tuesday', ...c.slice(2)] },
  { field: 'scheduledAt', spoil: (c) => [c[0], '2020-01-01T09:00:00Z', ...c.slice(2)] },
  { field: 'scheduledAt', spoil: (c) => [c[0], '2027-03-10 09:00', '', ...c.slice(3)] },
  { field: 'timezone', spoil: (c) => [c[0], c[1], 'Mars/Olympus', ...c.slice(3)] },
  { field: 'reference', spoil: (c) => [...c.slice(0, 4), ''] },
  { field: 'row', spoil: (c) => c.slice(0, 3) },
  { field: 'callingWindow', spoil: (c) => [...c.slice(0, 3), 'whenever', c[4]] },
];

/** `count` rows, every 100th bad (cycling through BAD_KINDS); the expected {row, field} of each bad one. */
function csvFile(count: number, tag: string): { text: string; bad: { row: number; field: string }[] } {
  const lines = [HEADER];
  const bad: { row: number; field: string }[] = [];
  for (let row = 1; row <= count; row++) {
    // Half with an offset, half a local time read in the row's zone; all a month or more ahead.
    const day = String(1 + (row % 28)).padStart(2, '0');
    const window = row % 3 === 0 ? 'Mon-Sat 08:00-21:00' : '';
    const cells =
      row % 2 === 0
        ? [phoneNumber(row), `2027-02-${day}T09:30:00+01:00`, 'Europe/Paris', window, `${tag}-${row}`]
        : [phoneNumber(row), `2027-02-${day} 09:30`, 'America/New_York', window, `${tag}-${row}`];
    if (row % 100 === 0) {
      const kind = BAD_KINDS[(row / 100) % BAD_KINDS.length];
      lines.push(kind.spoil(cells).join(','));
      bad.push({ row, field: kind.field });
    } else {
      lines.push(cells.join(','));
    }
  }
  return { text: lines.join('\n') + '\n', bad };
}

describe('bulk import and CSV export end to end', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    mock = await startCallApiMock();
    scheduler = await startScheduler({ callApiUrl: mock.url });
    api = client(scheduler.url);
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await mock?.stop();
  });

  const importCsv = (text: string | Uint8Array, query = '', contentType = 'text/csv') =>
    fetch(`${scheduler.url}/api/calls/import${query}`, { method: 'POST', headers: { 'content-type': contentType }, body: text }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as {
        created: number;
        existing: number;
        rows: number;
        written: boolean;
        errors: { row: number; field: string; message: string }[];
        preview: { row: number; outcome: string; at?: string }[];
        message?: string;
      },
    }));
  const log = async () => (await api.get<{ ok: boolean; headPosition: number; events: number }>('/api/audit/verify')).body;

  it('imports 10,000 rows with 100 bad ones in one request, reports exactly those, and a repeat creates nothing', async () => {
    const { text, bad } = csvFile(10_000, 'big');
    expect(bad).toHaveLength(100);
    const before = await log();

    const first = await importCsv(text, '?mode=accept-valid');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 10_000, created: 9_900, existing: 0, written: true });
    expect(first.body.errors.map(({ row, field }) => ({ row, field }))).toEqual(bad);
    for (const error of first.body.errors) expect(error.message).toMatch(/\w/);
    const after = await log();
    expect(after.headPosition).toBe(before.headPosition + 9_900);
    expect(after.ok).toBe(true);

    // Row 1 is a local 09:30 in New York on 2027-02-02: 14:30 UTC (EST).
    const [one] = first.body.preview;
    expect(one).toMatchObject({ row: 1, outcome: 'new', at: '2027-02-02T14:30:00.000Z' });
    // Row 3 carries its calling window onto the call.
    const pending = await api.get<{ items: { phoneNumber: string; callingWindow: unknown }[] }>(
      `/api/calls/pending?phone=${encodeURIComponent(phoneNumber(3))}`,
    );
    expect(pending.body.items).toHaveLength(1);
    expect(pending.body.items[0].callingWindow).toBeTruthy();

    const again = await importCsv(text, '?mode=accept-valid');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, existing: 9_900 });
    expect(again.body.errors.map(({ row, field }) => ({ row, field }))).toEqual(bad);
    expect((await log()).headPosition).toBe(after.headPosition);
  }, 120_000);

  it('all-or-nothing (the default) writes nothing when one row is bad; dryRun previews without writing', async () => {
    const lines = [HEADER];
    for (let row = 1; row <= 50; row++) lines.push(`${phoneNumber(20_000 + row)},2027-05-01T10:00:00Z,Europe/Berlin,,aon-${row}`);
    lines[17] = `${phoneNumber(20_017)},2027-05-01T10:00:00Z,Europe/Nowhere,,aon-17`;
    const before = await log();

    const refused = await importCsv(lines.join('\n'));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ created: 0, written: false, rows: 50 });
    expect(refused.body.errors).toEqual([{ row: 17, field: 'timezone', message: 'timezone Europe/Nowhere is not an IANA time zone name' }]);
    expect((await log()).headPosition).toBe(before.headPosition);

    lines[17] = `${phoneNumber(20_017)},2027-05-01T10:00:00Z,Europe/Berlin,,aon-17`;
    const preview = await importCsv(lines.join('\n'), '?dryRun=true');
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ created: 50, written: false, errors: [] });
    expect(preview.body.preview).toHaveLength(20);
    expect((await log()).headPosition).toBe(before.headPosition);

    const done = await importCsv(lines.join('\n'), '?mode=all-or-nothing');
    expect(done.body).toMatchObject({ created: 50, written: true });
    expect((await log()).headPosition).toBe(before.headPosition + 50);
  }, 30_000);

  it('refuses a body that is too large or not CSV with a 4xx, writing nothing', async () => {
    const before = await log();
    const tooMany = [HEADER, ...Array.from({ length: 100_001 }, (_, i) => `+14155550100,2027-05-01T10:00:00Z,,,x${i}`)].join('\n');
    const large = await importCsv(tooMany);
    expect(large.status).toBe(413);
    expect(large.body.message).toContain('100000 rows');

    const json = await importCsv(JSON.stringify({ phoneNumber: '+14155550100' }), '', 'application/json');
    expect(json.status).toBe(415);
    const notCsv = await importCsv(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(notCsv.status).toBe(400);
    const unknownColumn = await importCsv('phone,when,reference\n+14155550100,2027-05-01T10:00:00Z,a\n');
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.message).toContain('unknown column "when"');
    const unclosedQuote = await importCsv(`${HEADER}\n"+14155550100,2027-05-01T10:00:00Z,,,q1\n`);
    expect(unclosedQuote.status).toBe(400);
    const empty = await importCsv('');
    expect(empty.status).toBe(400);
    expect((await log()).headPosition).toBe(before.headPosition);
  }, 120_000);

  it('streams the same rows as CSV as the JSON history pages, for the same filters', async () => {
    // Some history: cancel a few imported calls, with and without a reason.
    const pending = (await api.get<{ items: { id: string; phoneNumber: string }[] }>('/api/calls/pending?limit=30')).body.items;
    for (const call of pending.slice(0, 25)) expect((await api.delete(`/api/calls/${call.id}`)).status).toBe(200);

    for (const filter of ['', 'status=cancelled', `phoneNumber=${encodeURIComponent(pending[3].phoneNumber)}`, 'status=completed']) {
      const json: Record<string, string>[] = [];
      for (let cursor: string | null = ''; cursor !== null;) {
        const page: { body: { items: Record<string, string | number | null>[]; nextCursor: string | null } } = await api.get(
          `/api/calls/history?limit=7&${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        json.push(...page.body.items.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === null ? '' : String(v)]))));
        cursor = page.body.nextCursor;
      }
      const byAccept = await fetch(`${scheduler.url}/api/calls/history?${filter}`, { headers: { accept: 'text/csv' } });
      expect(byAccept.status).toBe(200);
      expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse<Record<string, string>>(await byAccept.text(), { columns: true });
      expect(rows.map((r) => r.id)).toEqual(json.map((c) => c.id));
      expect(rows).toEqual(json.map((c) => Object.fromEntries(Object.keys(rows[0] ?? c).map((k) => [k, c[k]]))));
      const byFormat = await fetch(`${scheduler.url}/api/calls/history?format=csv&${filter}`);
      expect(await byFormat.text()).toBe(await (await fetch(`${scheduler.url}/api/calls/history?${filter}`, { headers: { accept: 'text/csv' } })).text());
    }
    const cancelled = await fetch(`${scheduler.url}/api/calls/history?status=cancelled`, { headers: { accept: 'text/csv' } });
    expect(parse<Record<string, string>>(await cancelled.text(), { columns: true })).toHaveLength(25);
    // JSON stays the default.
    expect((await api.get('/api/calls/history')).headers.get('content-type')).toMatch(/^application\/json/);
  }, 60_000);
});
