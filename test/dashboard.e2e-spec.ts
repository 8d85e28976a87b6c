import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { DESKTOP, DashboardBrowser, stopAll, MOBILE, SHOTS, ZONE, focused, freshNumber, historyRow, shoot, wallTime } from './support/dashboard-browser.js';
import { client, eventually } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// The dashboard in Debian's Chromium against the real scheduler and the Call API stand-in, each
// its own process. Build first: `npm run build` (server into dist/, dashboard into apps/dashboard/dist).
describe('dashboard in a real browser', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let browser: DashboardBrowser;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // Time scale 0.2: initiated → ringing → connected → completed within about 2 s.
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.2' });
    scheduler = await startScheduler({ callApiUrl: mock.url, env: { FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '400' } });
    api = client(scheduler.url);
    browser = await DashboardBrowser.launch();
  }, 60_000);

  afterAll(() => stopAll(browser, scheduler, mock));
  // Uncaught errors in the page fail the test that caused them.
  afterEach(() => expect(browser.pageErrors.splice(0)).toEqual([]));

  const open = (path: string, viewport = DESKTOP): Promise<Page> => browser.open(scheduler.url + path, viewport);
  const pendingRow = (page: Page, phone: string) => page.getByTestId('pending-table').locator('tbody tr').filter({ hasText: phone });

  it('schedules a call 3 s ahead through the form, shows it pending, then completed in History with no reload', async () => {
    const page = await open('/schedule');
    await expect(page.getByTestId('zone-note').textContent()).resolves.toMatch(/America\/New_York \(UTC-0[45]:00\)/);
    // A page reload would wipe this marker.
    await page.evaluate("window.marker = 'same page'");

    const phone = freshNumber();
    const due = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    const wall = wallTime(due, ZONE);
    await page.getByLabel('Phone number').fill(phone);
    await page.getByLabel('Date', { exact: true }).fill(wall.date);
    await page.getByLabel('Time', { exact: true }).fill(wall.time);
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/calls') && r.method() === 'POST'),
      page.getByRole('button', { name: 'Schedule call' }).click(),
    ]);
    const body = request.postDataJSON() as { phoneNumber: string; scheduledAt: string; timezone: string };
    expect(body.phoneNumber).toBe(phone);
    expect(body.timezone).toBe(ZONE);
    // The wall time as typed, local to the callee's zone (the number is American: the operator's zone is one of its country's).
    expect(body.scheduledAt).toBe(`${wall.date}T${wall.time}`);

    const success = page.getByTestId('schedule-success');
    await success.waitFor();
    await expect(success.textContent()).resolves.toContain(`Call to ${phone} scheduled for`);
    await shoot(page, 'desktop-schedule-success');

    await success.getByRole('link', { name: 'See pending calls' }).click();
    const row = pendingRow(page, phone);
    await row.waitFor({ timeout: 2000 });
    await expect(row.getByTestId('countdown').textContent()).resolves.toMatch(/^in \ds$|due now/);
    await shoot(page, 'desktop-pending');
    // Dispatched: it leaves Pending through the live feed.
    await row.waitFor({ state: 'detached', timeout: 10_000 });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    const done = historyRow(page, phone);
    await done.waitFor({ timeout: 10_000 });
    await done.locator('app-status-chip').filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
    await expect(page.evaluate('window.marker')).resolves.toBe('same page');
    await shoot(page, 'desktop-history');
  }, 60_000);

  it('moves a call across the views live while another client schedules it', async () => {
    const page = await open('/history');
    const phone = freshNumber();
    await expect(historyRow(page, phone).count()).resolves.toBe(0);
    await api.post('/api/calls', { phoneNumber: phone }); // another client, call now
    const row = historyRow(page, phone);
    await row.locator('app-status-chip').filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
  }, 30_000);

  it('cancels a pending call after confirmation', async () => {
    const phone = freshNumber();
    const created = await api.post('/api/calls', { phoneNumber: phone, scheduledAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(created.status).toBe(201);
    const page = await open('/pending');
    const row = pendingRow(page, phone);
    await row.getByRole('button', { name: `Cancel the call to ${phone}` }).click();
    await row.getByText('Cancel this call?').waitFor();
    // Focus lands on the confirming button, for keyboard users.
    await expect(focused(page, 'textContent')).resolves.toBe('Yes, cancel it');
    await shoot(page, 'desktop-pending-cancel-confirm');
    await row.getByRole('button', { name: 'Yes, cancel it' }).click();
    await row.waitFor({ state: 'detached', timeout: 5000 });
    const after = await api.get(`/api/calls/${created.body.id}`);
    expect(after.body.status).toBe('cancelled');

    await page.goto(`${scheduler.url}/history?status=cancelled`);
    await historyRow(page, phone).locator('app-status-chip').filter({ hasText: 'cancelled' }).waitFor();
  }, 30_000);

  it('shows field errors beside the fields: invalid number as typed, and the API refusing a past time', async () => {
    const page = await open('/schedule', MOBILE);
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    const phoneInput = page.getByLabel('Phone number');
    await phoneInput.fill('+1 555');
    const phoneError = page.getByTestId('phoneNumber-error');
    await expect(phoneError.textContent()).resolves.toContain('is not a valid phone number');
    await expect(phoneInput.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Schedule call' }).click();
    expect(posts).toEqual([]);
    await expect(focused(page, 'id')).resolves.toBe('phoneNumber');
    await shoot(page, 'mobile-schedule-invalid-number');

    // A valid number two hours in the past: the API's own field error, shown beside the time.
    await phoneInput.fill(freshNumber());
    await expect(phoneError.textContent()).resolves.toBe('');
    const past = wallTime(new Date(Date.now() - 2 * 3600_000), ZONE);
    await page.getByLabel('Date', { exact: true }).fill(past.date);
    await page.getByLabel('Time', { exact: true }).fill(past.time);
    await page.getByRole('button', { name: 'Schedule call' }).click();
    const whenError = page.getByTestId('scheduledAt-error');
    await whenError.getByText('Date and time is in the past').waitFor({ timeout: 5000 });
    await expect(page.getByTestId('form-error').textContent()).resolves.toContain('Please correct');
    await shoot(page, 'mobile-schedule-api-error');
  }, 30_000);

  it("opens a call's timeline: each event, when, by whom, the dial's lateness", async () => {
    const phone = freshNumber();
    const page = await open('/schedule');
    await page.getByLabel('Phone number').fill(phone);
    await page.getByLabel('Call now').check();
    await page.getByRole('button', { name: 'Call now' }).click();
    await page.getByTestId('schedule-success').getByRole('link', { name: 'View this call' }).click();

    const timeline = page.getByTestId('timeline');
    // The page follows the call live until the provider reports it completed.
    await timeline.locator('li[data-event-type=CallStatusChanged]').filter({ hasText: '→ completed' }).waitFor({ timeout: 15_000 });
    const types = await timeline.locator(':scope > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-event-type')));
    expect(types.slice(0, 3)).toEqual(['CallScheduled', 'CallDispatchStarted', 'CallDispatched']);
    // No key exists here (open API on loopback): the actor is "anonymous"; the dashboard no longer claims one (issue #12).
    await expect(timeline.locator('li[data-event-type=CallScheduled]').textContent()).resolves.toContain('by anonymous');
    await expect(timeline.locator('li[data-event-type=CallDispatched]').textContent()).resolves.toMatch(/Lateness \d+ ms after the scheduled time/);
    await expect(page.getByTestId('lateness').textContent()).resolves.toMatch(/^\d+ ms$/);
    await page.locator('.page-header app-status-chip').filter({ hasText: 'completed' }).waitFor();
    await shoot(page, 'desktop-call-detail');

    const mobile = await open(new URL(page.url()).pathname, MOBILE);
    await mobile.getByTestId('timeline').locator('li').first().waitFor();
    await shoot(mobile, 'mobile-call-detail');
  }, 45_000);

  it('shows counts per status and the lateness chart on the overview', async () => {
    const stats = await api.get('/api/calls/stats');
    const page = await open('/overview');
    const completedCount = String(stats.body.counts.completed);
    expect(Number(completedCount)).toBeGreaterThan(0);
    await page.locator('a.count-card[data-status=completed] .count-card__n', { hasText: new RegExp(`^${completedCount}$`) }).waitFor();
    const canvas = page.locator('app-lateness-chart canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    await shoot(page, 'desktop-overview');
    const mobile = await open('/overview', MOBILE);
    await mobile.locator('app-lateness-chart canvas').waitFor();
    await shoot(mobile, 'mobile-overview');
    for (const path of ['/history', '/schedule']) {
      await mobile
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: path.slice(1), exact: false })
        .click();
      await mobile.locator('main h1').waitFor();
      await shoot(mobile, `mobile${path.replace('/', '-')}`);
    }
  }, 45_000);

  it('lets an operator dispatch an outcome-unknown call anyway', async () => {
    // The stand-in places the call, then answers 500: the scheduler cannot know whether it dialled.
    await mock.configure({ failAfterDialRate: 1 });
    const phone = freshNumber();
    let id: string;
    try {
      const created = await api.post('/api/calls', { phoneNumber: phone });
      id = created.body.id;
      await eventually(async () => ((await api.get(`/api/calls/${id}`)).body.status === 'outcome-unknown' ? true : undefined), 10_000);
    } finally {
      await mock.configure({ failAfterDialRate: 0 });
    }
    const page = await open(`/calls/${id}`);
    await page.locator('.page-header app-status-chip').filter({ hasText: 'outcome unknown' }).waitFor();
    await page.getByTestId('timeline').locator('li[data-event-type=CallOutcomeUnknown]').waitFor();
    await shoot(page, 'desktop-call-outcome-unknown');
    await page.getByRole('button', { name: 'Dispatch anyway' }).click();
    await page.getByTestId('timeline').locator('li').filter({ hasText: 'Dispatch anyway requested' }).waitFor({ timeout: 5000 });
    await expect(page.getByTestId('timeline').locator('li').filter({ hasText: 'Dispatch anyway requested' }).textContent()).resolves.toContain('by anonymous');
    await page.locator('.page-header app-status-chip').filter({ hasText: 'completed' }).waitFor({ timeout: 15_000 });
  }, 45_000);

  it('pages through many pending calls with "Load more"', async () => {
    const later = (i: number) => new Date(Date.now() + 86_400_000 + i * 60_000).toISOString();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => api.post('/api/calls', { phoneNumber: '+442079460958', scheduledAt: later(i) })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const page = await open('/pending');
    const rows = page.getByTestId('pending-table').locator('tbody tr.pending-row');
    await page.getByText('50 shown, more to load', { exact: true }).waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText(/^\s*\d+ shown\s*$/).waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(60);
    // Soonest first across the page boundary.
    const due = await rows.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    await shoot(page, 'desktop-pending-paged');
    const mobile = await open('/pending', MOBILE);
    await mobile.getByTestId('pending-table').locator('tbody tr.pending-row').first().waitFor();
    await mobile.screenshot({ path: join(SHOTS, 'mobile-pending.png') });
  }, 30_000);

  it('can be driven with the keyboard alone', async () => {
    const page = await open('/schedule');
    // The form is a lazy route: let it render before walking the tab order.
    await page.locator('#phoneNumber').waitFor();
    await page.keyboard.press('Tab');
    await expect(focused(page, 'textContent')).resolves.toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(focused(page, 'id')).resolves.toBe('phoneNumber');
    const phone = freshNumber();
    await page.keyboard.type(phone);
    await page.keyboard.press('Tab'); // the callee's time zone
    await expect(focused(page, 'id')).resolves.toBe('calleeZone');
    await page.keyboard.press('Tab'); // the "When" radio group
    await page.keyboard.press('ArrowRight'); // → Call now
    await page.keyboard.press('Enter'); // submits the form
    await page
      .getByTestId('schedule-success')
      .filter({ hasText: `Call to ${phone} is being placed now.` })
      .waitFor();
  }, 30_000);

  // Issue #12: an API key (issued here by AUTH_TOKEN, the admin key), asked for once per session;
  // the live feed opens with a ticket; what the operator does is recorded under the key's name.
  it('asks for an API key when the API requires one, then works with it and records its name', async () => {
    const token = 'e2e-admin-secret-e2e-admin-secret';
    const guarded = await startScheduler({ callApiUrl: mock.url, env: { AUTH_TOKEN: token } });
    try {
      const admin = { Authorization: `Bearer ${token}` };
      const key = (await client(guarded.url).post('/api/keys', { name: 'olivia', role: 'operator' }, admin)).body.key as string;
      const phone = freshNumber();
      const created = await client(guarded.url).post('/api/calls', { phoneNumber: phone, scheduledAt: new Date(Date.now() + 3600_000).toISOString() }, admin);
      expect(created.status).toBe(201);
      const page = await browser.newPage(`${guarded.url}/pending`);
      const input = page.getByLabel('API key', { exact: true });
      await input.waitFor();
      await expect(focused(page, 'id')).resolves.toBe('api-token');
      await input.fill(key);
      await page.getByRole('button', { name: 'Use this key' }).click();
      await pendingRow(page, phone).waitFor({ timeout: 10_000 });
      await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
      await page.goto(`${guarded.url}/calls/${created.body.id}`);
      await page.getByRole('button', { name: 'Cancel call', exact: true }).click();
      await page.getByRole('button', { name: 'Yes, cancel it' }).click();
      await page.getByTestId('timeline').locator('li[data-event-type=CallCancelled]').filter({ hasText: 'by olivia' }).waitFor({ timeout: 10_000 });
      // An operator's key cannot manage keys: the page says so.
      await page.goto(`${guarded.url}/keys`);
      await page.getByTestId('keys-problem').filter({ hasText: 'Only admin keys' }).waitFor();
    } finally {
      await guarded.stop();
    }
  }, 60_000);

  it('never breaks a phone number across lines, beside a long error in a narrow table or on a phone', async () => {
    // A refusal (400) is final: the call fails at once, with the provider's answer as its error.
    await mock.configure({ failRate: 1, failStatus: 400 });
    const phone = '+442071838750';
    let id: string;
    try {
      id = (await api.post('/api/calls', { phoneNumber: phone })).body.id;
      await eventually(async () => ((await api.get(`/api/calls/${id}`)).body.status === 'failed' ? true : undefined), 10_000);
    } finally {
      await mock.configure({ failRate: 0 });
    }
    // An inline element broken across lines has one box per line.
    const lines = (page: Page, selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => el.getClientRects().length);
    for (const viewport of [{ width: 740, height: 800 }, MOBILE]) {
      const page = await open(`/history?q=${encodeURIComponent(phone)}`, viewport);
      await historyRow(page, phone).first().waitFor();
      await expect(lines(page, '[data-testid=history-table] tbody a.phone')).resolves.toBe(1);
      await shoot(page, `history-phone-${viewport.width}`);
    }
    const detail = await open(`/calls/${id}`, MOBILE);
    await detail.locator('h1 .phone').waitFor();
    await expect(lines(detail, 'h1 .phone')).resolves.toBe(1);
  }, 30_000);

  it('shows why a history search is refused beside the search field, with the format wanted', async () => {
    const page = await open('/history');
    const search = page.getByRole('searchbox', { name: 'Phone number' });
    await search.fill('41');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const errors = page.getByTestId('history-search-error');
    await errors.getByText('at least 3 digits').waitFor({ timeout: 5000 });
    await expect(search.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(errors.textContent()).resolves.toMatch(/Phone number .+/);
    await shoot(page, 'desktop-history-search-error');
  }, 30_000);

  // Last: it restarts the scheduler.
  it('says when the live feed is down, reconnects by itself and resumes', async () => {
    // This page alone: the earlier tests' dozen pages would all reconnect at once from one address
    // and take turns for the per-client catch-up slots (LongReadGate: 2 each, then 429 and backoff).
    await browser.closePages();
    const page = await open('/pending');
    const status = page.getByTestId('live-status');
    const { port, databaseUrl } = scheduler;
    await scheduler.stop();
    await status.filter({ hasText: 'Disconnected, reconnecting…' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('offline-banner').waitFor();
    await shoot(page, 'desktop-disconnected');
    scheduler = await startScheduler({ callApiUrl: mock.url, port, databaseUrl, env: { FOLLOW_INTERVAL_MS: '200' } });
    await status.filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    // Still following: a call scheduled now by someone else shows up without a reload.
    const phone = freshNumber();
    await client(scheduler.url).post('/api/calls', { phoneNumber: phone, scheduledAt: new Date(Date.now() + 3600_000).toISOString() });
    await pendingRow(page, phone).waitFor({ timeout: 10_000 });
  }, 60_000);
});
