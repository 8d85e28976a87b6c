import type { Page } from 'playwright-core';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { DESKTOP, DashboardBrowser, stopAll, MOBILE, ZONE, freshNumber, historyRow, shoot, wallTime, type Viewport } from './support/dashboard-browser.js';
import { client, eventually } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Operators during and after an outage of the Call API (issue #8): the banner on every page while
// it is down, and dialling failed calls again, one at a time or all since a given time.
// Relies on GET /health naming `details.callApi` {status, since, waiting}, POST /api/calls/:id/retry
// and POST /api/calls/retry. Every wait polls a condition; none sleeps a fixed time.
describe('dashboard around a Call API outage', () => {
  let browser: DashboardBrowser;
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    browser = await DashboardBrowser.launch();
    // Quick retries (so a call refused during the outage is tried again soon after it) and a
    // time scale of 0.2 (initiated → completed within about 2 s).
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2' });
    scheduler = await startScheduler({
      callApiUrl: mock.url,
      env: { FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '400', RETRY_BASE_MS: '200', RETRY_MAX_MS: '1000' },
    });
    api = client(scheduler.url);
  }, 60_000);

  afterAll(() => stopAll(browser, scheduler, mock));
  // Uncaught errors in the page fail the test that caused them.
  afterEach(() => expect(browser.pageErrors.splice(0)).toEqual([]));

  const open = (path: string, viewport: Viewport = DESKTOP): Promise<Page> => browser.open(scheduler.url + path, viewport);
  const statusOf = async (id: string): Promise<string> => (await api.get(`/api/calls/${id}`)).body.status;
  const becomes = (id: string, status: string, timeoutMs = 15_000) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), timeoutMs);

  /** Calls the Call API refuses for good (400): they end `failed` at once. */
  async function failedCalls(count: number): Promise<{ id: string; phone: string }[]> {
    await mock.configure({ failRate: 1, failStatus: 400 });
    try {
      const calls = [];
      for (let i = 0; i < count; i++) {
        const phone = freshNumber();
        const created = await api.post('/api/calls', { phoneNumber: phone });
        expect(created.status).toBe(201);
        calls.push({ id: created.body.id as string, phone });
      }
      for (const call of calls) await becomes(call.id, 'failed', 10_000);
      return calls;
    } finally {
      await mock.configure({ failRate: 0 });
    }
  }

  it('retries one failed call from its page after confirmation, and it is dialled again', async () => {
    const [call] = await failedCalls(1);
    const page = await open(`/calls/${call.id}`);
    await page.locator('.page-header app-status-chip').filter({ hasText: 'failed' }).waitFor();
    const actions = page.getByTestId('retry-card');
    await actions.getByRole('button', { name: 'Retry', exact: true }).click();
    await actions.getByText('Dial this call again now?').waitFor();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith(`/api/calls/${call.id}/retry`) && r.method() === 'POST'),
      actions.getByRole('button', { name: 'Yes, retry' }).click(),
    ]);
    expect(request.postDataJSON()).toEqual({});
    await page.locator('.page-header app-status-chip').filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
    await expect(statusOf(call.id)).resolves.toBe('completed');
  }, 45_000);

  it('retries every failed call since a time from History, after a confirmation that names the time', async () => {
    const since = new Date(Date.now() - 1000);
    const calls = await failedCalls(2);
    const sinceWall = wallTime(since, ZONE);

    /** Opens History's bulk retry at `viewport` and stops at the confirmation. */
    async function askToRetry(viewport: Viewport): Promise<Page> {
      const page = await open('/history?status=failed', viewport);
      for (const call of calls) await historyRow(page, call.phone).waitFor();
      const panel = page.getByTestId('bulk-retry');
      await panel.locator('summary').click();
      await panel.getByLabel('Failed or missed since').fill(`${sinceWall.date}T${sinceWall.time}`);
      await panel.getByRole('button', { name: /^Retry all failed\/missed since / }).click();
      await panel.getByText(/^Dial again every failed or missed call since .+\?$/).waitFor();
      return page;
    }

    const mobile = await askToRetry(MOBILE);
    await shoot(mobile, 'mobile-history-bulk-retry-confirm');
    await mobile.getByTestId('bulk-retry').getByRole('button', { name: 'Back' }).click();

    const page = await askToRetry(DESKTOP);
    await shoot(page, 'desktop-history-bulk-retry-confirm');
    const panel = page.getByTestId('bulk-retry');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/calls/retry') && r.method() === 'POST'),
      panel.getByRole('button', { name: 'Yes, retry them' }).click(),
    ]);
    const body = request.postDataJSON() as { status: string[]; since: string };
    expect(body.status).toEqual(['failed', 'missed']);
    expect(body.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/);
    expect(new Date(body.since).getTime()).toBe(Math.floor(since.getTime() / 1000) * 1000);
    await panel.getByTestId('bulk-retry-done').filter({ hasText: '2 calls will be dialled again.' }).waitFor({ timeout: 5000 });
    await shoot(page, 'desktop-history-bulk-retry-done');
    // They leave the failed list live, and are dialled.
    for (const call of calls) await historyRow(page, call.phone).waitFor({ state: 'detached', timeout: 10_000 });
    for (const call of calls) await becomes(call.id, 'completed');
  }, 60_000);

  // Last: it stops the stand-in.
  it('says on every page that the Call API is unreachable, since when and how many calls wait, until it is back', async () => {
    const page = await open('/pending');
    const mobile = await open('/history', MOBILE);
    const banner = (p: Page) => p.getByTestId('health-banner');
    const outage = (p: Page) => banner(p).getByText(/Call API unreachable since \d{2}:\d{2}:\d{2} — \d+ calls? waiting\s*$/);
    expect((await banner(page).textContent())?.trim()).toBe('');

    const port = mock.port;
    await mock.stop();
    // A call due now, so the dispatcher meets the outage.
    const phone = freshNumber();
    const due = await api.post('/api/calls', { phoneNumber: phone });
    expect(due.status).toBe(201);
    await outage(page).waitFor({ timeout: 15_000 });
    await outage(mobile).waitFor({ timeout: 15_000 });
    await expect(banner(page).getAttribute('role')).resolves.toBe('status');
    await shoot(page, 'desktop-call-api-outage-banner');
    await shoot(mobile, 'mobile-call-api-outage-banner');
    // Same banner after navigating elsewhere.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await outage(page).waitFor();

    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2', MOCK_PORT: String(port) });
    await outage(page).waitFor({ state: 'detached', timeout: 15_000 });
    await outage(mobile).waitFor({ state: 'detached', timeout: 15_000 });
    expect((await banner(page).textContent())?.trim()).toBe('');
  }, 60_000);
});
