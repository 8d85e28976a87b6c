import type { Locator, Page } from 'playwright-core';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { DashboardBrowser, ZONE, shoot, stopAll } from './support/dashboard-browser.js';
import { client, eventually } from './support/http.js';
import { zoneInTheNight } from './support/night-zone.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

/**
 * The picker's value once the view has settled: Angular sets it after the zone options render,
 * which on a busy machine can be a moment after the page has loaded.
 */
async function settledValue(picker: Locator, expected: string): Promise<string> {
  await eventually(async () => (await picker.inputValue()) === expected, 5000).catch(() => undefined);
  return picker.inputValue();
}

// The callee's time zone picker, the calling window field and the "waits for …" state in Debian's
// Chromium, against the real scheduler and the Call API stand-in. Build first: `npm run build`.
describe('dashboard: callee time zones and calling windows in a real browser', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let browser: DashboardBrowser;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2' });
    scheduler = await startScheduler({ callApiUrl: mock.url });
    api = client(scheduler.url);
    browser = await DashboardBrowser.launch();
  }, 60_000);

  afterAll(() => stopAll(browser, scheduler, mock));
  afterEach(() => expect(browser.pageErrors.splice(0)).toEqual([]));

  const open = (path: string): Promise<Page> => browser.open(scheduler.url + path);

  it("suggests the number's country's zones, reads the typed time in the callee's zone, shows the operator's equivalent, sends the window", async () => {
    const page = await open('/schedule');
    const picker = page.getByLabel("Callee's time zone");
    // Before a number: the operator's own zone.
    await expect(settledValue(picker, ZONE)).resolves.toBe(ZONE);

    await page.getByLabel('Phone number').fill('+44 20 7946 0958');
    await page.locator('optgroup[label="Zones of the number\'s country"] option[value="Europe/London"]').waitFor({ state: 'attached' });
    await expect(settledValue(picker, 'Europe/London')).resolves.toBe('Europe/London');

    // 09:30 on 1 Dec 2030 in London (UTC+0) is 04:30 in New York (UTC-5), the operator's zone.
    await page.getByLabel('Date', { exact: true }).fill('2030-12-02');
    await page.getByLabel('Time', { exact: true }).fill('09:30:00');
    await expect(page.getByTestId('zone-note').textContent()).resolves.toContain('Europe/London (UTC+00:00)');
    await expect(page.getByTestId('operator-equivalent').textContent()).resolves.toMatch(/04:30:00.*in your zone \(America\/New_York\)/);
    await page.getByLabel('Calling window').fill('Mon-Fri 09:00-17:00');
    await shoot(page, 'desktop-schedule-callee-zone');

    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/calls') && r.method() === 'POST'),
      page.getByRole('button', { name: 'Schedule call' }).click(),
    ]);
    expect(request.postDataJSON()).toMatchObject({
      phoneNumber: '+442079460958',
      scheduledAt: '2030-12-02T09:30:00',
      timezone: 'Europe/London',
      callingWindow: 'Mon-Fri 09:00-17:00',
    });
    await page.getByTestId('schedule-success').waitFor();

    // Picking another zone by hand wins over the suggestion.
    await page.getByRole('button', { name: 'Schedule another' }).click();
    await page.getByLabel('Phone number').fill('+1 415 555 0199');
    await picker.selectOption('Asia/Tokyo');
    await expect(settledValue(picker, 'Asia/Tokyo')).resolves.toBe('Asia/Tokyo');
  }, 60_000);

  it('puts the API’s calling window error beside the window field', async () => {
    const page = await open('/schedule');
    await page.getByLabel('Phone number').fill('+1 415 555 0198');
    await page.getByLabel('Calling window').fill('after lunch');
    await page.getByRole('button', { name: 'Schedule call' }).click();
    const errors = page.getByTestId('callingWindow-error');
    await errors.getByText('Calling window').waitFor({ timeout: 5000 });
    await expect(page.getByLabel('Calling window').getAttribute('aria-invalid')).resolves.toBe('true');
    await shoot(page, 'desktop-schedule-window-error');
  }, 30_000);

  it('shows a call waiting for its window: pending says "waits for 08:00 …, callee\'s time", the call page too', async () => {
    const { zone, local } = zoneInTheNight(1);
    const created = await api.post('/api/calls', { phoneNumber: '+1 415 555 0197', scheduledAt: local, timezone: zone, callingWindow: '08:00-21:00' });
    expect(created.status).toBe(201);
    await eventually(async () => ((await api.get(`/api/calls/${created.body.id}`)).body.windowOpensAt ? true : undefined), 10_000);

    const page = await open('/pending');
    const row = page.getByTestId('pending-table').locator('tbody tr').filter({ hasText: '+14155550197' });
    await row.getByTestId('window-wait').waitFor({ timeout: 5000 });
    await expect(row.getByTestId('window-wait').textContent()).resolves.toMatch(/^waits for 08:00 \w{3}, callee's time$/);
    await expect(row.getByTestId('callee-time').textContent()).resolves.toContain(zone);
    await shoot(page, 'desktop-pending-window-wait');

    const detail = await open(`/calls/${created.body.id as string}`);
    await detail.getByTestId('window-wait').waitFor();
    await expect(detail.getByTestId('calling-window').textContent()).resolves.toContain('08:00-21:00');
    await detail.getByText('Waiting for the calling window').first().waitFor();
    await shoot(detail, 'desktop-call-window-wait');
  }, 30_000);

  it('filters history by ticked statuses, a group and part of a number, with a duration column', async () => {
    const done = await api.post('/api/calls', { phoneNumber: '+44 20 7946 0001', callingWindow: 'any' });
    const later = await api.post('/api/calls', { phoneNumber: '+44 20 7946 0002', scheduledAt: new Date(Date.now() + 3_600_000).toISOString() });
    await api.delete(`/api/calls/${later.body.id as string}`);
    await eventually(async () => ((await api.get(`/api/calls/${done.body.id as string}`)).body.status === 'completed' ? true : undefined), 15_000);

    // National format with its trunk 0, partial: both London numbers.
    const page = await open(`/history?q=${encodeURIComponent('020 7946 000')}`);
    const rows = page.getByTestId('history-table').locator('tbody tr');
    await rows.filter({ hasText: '+442079460001' }).waitFor();
    await rows.filter({ hasText: '+442079460002' }).waitFor();
    await page.locator('[data-testid=history-status] input[value=completed]').check();
    await page.waitForURL(/status=completed/);
    await rows.filter({ hasText: '+442079460002' }).waitFor({ state: 'detached' });
    await expect(rows.filter({ hasText: '+442079460001' }).getByTestId('duration').textContent()).resolves.toMatch(/\d+ s/);
    await page.locator('[data-testid=history-status] input[value=cancelled]').check();
    await page.waitForURL(/status=completed%2Ccancelled|status=completed,cancelled/);
    await rows.filter({ hasText: '+442079460002' }).waitFor();
    await shoot(page, 'desktop-history-filters');
    await page.getByRole('button', { name: 'In progress' }).click();
    await page.waitForURL(/status=in-progress/);
    await page.getByText('No calls match').waitFor();
  }, 40_000);
});
