import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { DashboardBrowser, shoot, stopAll } from './support/dashboard-browser.js';
import { eventually } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

const RESULTS = resolve(import.meta.dirname, '../test-results');

// The series pages in Debian's Chromium against the real scheduler and the Call API stand-in:
// create a series in the form (its rrule error beside the field first), watch its first occurrence
// become a call that is dialled, follow the outcome to the call page, pause, resume and end it.
// Build first: `npm run build`.
describe('dashboard: recurring calls (series) in a real browser', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let browser: DashboardBrowser;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
    scheduler = await startScheduler({ callApiUrl: mock.url, env: { SERIES_LEAD: '48h', DISPATCH_INTERVAL_MS: '100', FOLLOW_INTERVAL_MS: '100' } });
    browser = await DashboardBrowser.launch();
    mkdirSync(RESULTS, { recursive: true });
  }, 60_000);

  afterAll(() => stopAll(browser, scheduler, mock));
  afterEach(() => expect(browser.pageErrors.splice(0)).toEqual([]));

  const shootBoth = async (page: Page, name: string) => {
    await shoot(page, name);
    await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
  };

  it('creates a series, shows its next calls and its dialled call with the outcome, pauses, resumes and ends it', async () => {
    const page = await browser.open(`${scheduler.url}/series`);
    await page.getByLabel('Phone number').fill('+14155550177');
    await page.getByLabel("Callee's time zone").selectOption('Asia/Tokyo');
    await page.getByLabel('Recurrence (RFC 5545 RRULE)').fill('FREQ=DAILY;BYHOUR=99');
    await page.getByRole('button', { name: 'Create series' }).click();
    await expect(page.getByTestId('rrule-error').textContent()).resolves.toContain('BYHOUR=99 is out of range');

    await page.getByLabel('Recurrence (RFC 5545 RRULE)').fill('FREQ=DAILY');
    await page.getByLabel('Starts at (optional, ISO-8601 with offset)').fill(new Date(Date.now() + 2000).toISOString());
    await page.getByLabel('Number of calls (optional)').fill('5');
    await page.getByLabel('Calling window (optional)').fill('00:00-24:00');
    await page.getByRole('button', { name: 'Create series' }).click();
    await page.waitForURL(/\/series\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('series-status').textContent()).resolves.toBe('active');
    // Five calls in all: the first made (or about to be), the rest listed as upcoming.
    await expect(page.getByTestId('upcoming-table').locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(3);

    // The first occurrence becomes a call the stand-in dials; the page shows its outcome.
    await eventually(
      async () => {
        await page.reload();
        // The page loads the series and its occurrences together after the reload: count once they show.
        await page.getByTestId('series-status').waitFor();
        return (await page.getByTestId('past-table').locator('[data-status="completed"]').count()) > 0;
      },
      20_000,
      500,
    );
    await shootBoth(page, 'desktop-series-page');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('series-status').filter({ hasText: 'paused' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('series-status').filter({ hasText: 'active' }).waitFor();
    await page.getByRole('button', { name: 'End series' }).click();
    await page.getByTestId('series-status').filter({ hasText: 'ended' }).waitFor();
    await expect(page.getByTestId('upcoming-table').textContent()).resolves.toContain('No more calls');
    await shootBoth(page, 'desktop-series-ended');

    // The outcome links to the call's own page.
    await page.getByTestId('past-table').locator('a').first().click();
    await page.waitForURL(/\/calls\/[0-9a-f-]{36}$/);

    const list = await browser.open(`${scheduler.url}/series`);
    await list.getByTestId('series-table').locator('tbody tr').filter({ hasText: '+14155550177' }).filter({ hasText: 'ended' }).waitFor();
    await shootBoth(list, 'desktop-series-list');
  }, 90_000);
});
