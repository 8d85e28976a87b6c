import { readFile } from 'node:fs/promises';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { DashboardBrowser, shoot, stopAll } from './support/dashboard-browser.js';
import { client, phoneNumber } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// The import page and the history's export in Debian's Chromium against the real scheduler.
// Build first: `npm run build` (server into dist/, dashboard into apps/dashboard/dist).
describe('dashboard: import a CSV file and export the history', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let browser: DashboardBrowser;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    mock = await startCallApiMock();
    scheduler = await startScheduler({ callApiUrl: mock.url });
    api = client(scheduler.url);
    browser = await DashboardBrowser.launch();
  }, 60_000);

  afterAll(() => stopAll(browser, scheduler, mock));
  afterEach(() => expect(browser.pageErrors.splice(0)).toEqual([]));

  // 30 rows; row 4 has a bad number and row 25 an unknown zone.
  const rows = Array.from({ length: 30 }, (_, i) => {
    const row = i + 1;
    const phone = row === 4 ? '+1415' : phoneNumber(500 + row);
    const zone = row === 25 ? 'Europe/Atlantis' : 'America/Chicago';
    return `${phone},2027-04-${String(1 + (row % 27)).padStart(2, '0')} 08:15,${zone},,clinic-${row}`;
  });
  const file = {
    name: 'reminders.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['phone number,time,time zone,calling window,reference', ...rows].join('\n')),
  };

  it('previews the first rows and the errors, refuses all-or-nothing, then imports the valid rows on confirm', async () => {
    const before = (await api.get('/api/audit/verify')).body.headPosition as number;
    const page = await browser.open(`${scheduler.url}/import`);
    await page.getByTestId('import-file').setInputFiles(file);

    await page.getByTestId('import-summary').filter({ hasText: '30 rows' }).waitFor();
    expect(await page.getByTestId('import-summary').innerText()).toBe('30 rows: 28 new calls, 0 already imported, 2 with errors.');
    const table = page.getByTestId('import-preview-table');
    expect(await table.locator('tbody tr').count()).toBe(20);
    expect(await table.locator('tr[data-row="1"]').innerText()).toContain('= 2027-04-02 13:15 UTC');
    expect(await table.locator('tr[data-row="4"]').innerText()).toContain('phoneNumber +1415 is not a valid phone number');
    const errors = page.getByTestId('import-errors').locator('tbody tr');
    expect(await errors.allInnerTexts()).toEqual([expect.stringMatching(/^4\tphoneNumber\t/), expect.stringMatching(/^25\ttimezone\t.*Europe\/Atlantis/)]);
    // All-or-nothing (the default) with bad rows: nothing to confirm.
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await shoot(page, 'import-preview-errors');

    await page.getByLabel('Import the valid rows, skip the others').check();
    await page.getByTestId('import-confirm').filter({ hasText: 'Import 28 calls' }).waitFor();
    expect(await page.getByTestId('import-confirm').isEnabled()).toBe(true);
    // Still a preview: nothing written yet.
    expect((await api.get('/api/audit/verify')).body.headPosition).toBe(before);
    await shoot(page, 'import-preview-accept-valid');

    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').filter({ hasText: 'Imported: 28 new calls, 0 already there, 2 rows skipped.' }).waitFor();
    expect((await api.get('/api/audit/verify')).body.headPosition).toBe(before + 28);
    await shoot(page, 'import-done');

    // The same file again: all 28 are already there.
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-summary').filter({ hasText: '0 new calls, 28 already imported' }).waitFor();
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
  }, 60_000);

  it('exports the filtered history as a CSV file', async () => {
    const pending = (await api.get<{ items: { id: string; phoneNumber: string }[] }>('/api/calls/pending?limit=3')).body.items;
    for (const call of pending) expect((await api.delete(`/api/calls/${call.id}`)).status).toBe(200);
    const page = await browser.open(`${scheduler.url}/history?status=cancelled`);
    await page.getByTestId('history-table').locator('tbody tr[data-call-id]').nth(2).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()]);
    expect(download.suggestedFilename()).toBe('call-history.csv');
    const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^id,phoneNumber,status,scheduledAt,timezone,/);
    expect(lines).toHaveLength(4);
    for (const call of pending) expect(lines.some((l) => l.startsWith(`${call.id},${call.phoneNumber},cancelled,`))).toBe(true);
    await shoot(page, 'history-export');
  }, 60_000);
});
