import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Shared by the browser tests: Debian's Chromium driving the built dashboard served by a real
// scheduler. Build first: `npm run build` (server into dist/, dashboard into apps/dashboard/dist).
const ROOT = resolve(import.meta.dirname, '../..');
const DASHBOARD_INDEX = join(ROOT, 'apps/dashboard/dist/dashboard/browser/index.html');
export const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
// Not the machine's zone (UTC), so the dashboard's zone handling is really exercised.
export const ZONE = 'America/New_York';
export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 375, height: 812 };

let numberSeq = 0;
/** A fresh valid US number per test (the history search matches whole numbers). */
export function freshNumber(): string {
  numberSeq += 1;
  return `+1415555${String(100 + (((Date.now() / 1000 + numberSeq * 7) % 100) | 0)).padStart(4, '0')}`;
}

/** Wall-clock date and time of `instant` in `zone`, as the date and time inputs take them. */
export function wallTime(instant: Date, zone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}:${get('second')}` };
}

export type Viewport = typeof DESKTOP;

/** One Chromium for a test file, its pages in the test zone, and the errors those pages threw. */
export class DashboardBrowser {
  readonly pageErrors: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<DashboardBrowser> {
    if (!existsSync(DASHBOARD_INDEX)) throw new Error(`${DASHBOARD_INDEX} is missing: run \`npm run build:dashboard\` first`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    return new DashboardBrowser(await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }));
  }

  /** A fresh page (own context) at `url`, without waiting for anything. */
  async newPage(url: string, viewport: Viewport = DESKTOP): Promise<Page> {
    const context = await this.browser.newContext({ viewport, timezoneId: ZONE, locale: 'en-US' });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    // The server's Content-Security-Policy (issue #12): anything it blocks fails the test.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) this.pageErrors.push(message.text());
    });
    await page.goto(url);
    return page;
  }

  /**
   * A page at `url` once its live feed is connected and its view has rendered. Routes are loaded
   * lazily: a test that stops the server right after "Live" would otherwise race the view's chunk.
   */
  async open(url: string, viewport: Viewport = DESKTOP): Promise<Page> {
    const page = await this.newPage(url, viewport);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    await page.locator('main router-outlet + *').first().waitFor({ timeout: 10_000 });
    return page;
  }

  /** Closes every page opened so far (the browser stays up for the next ones). */
  async closePages(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.closePages();
    await this.browser.close();
  }
}

/** A full-page screenshot into test-artifacts/screenshots/<name>.png. */
export function shoot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Expressions, not functions: the tests are type-checked without the DOM library.
export const focused = (page: Page, property: 'id' | 'textContent') => page.evaluate<string | undefined>(`document.activeElement?.${property}?.trim()`);

export const historyRow = (page: Page, phone: string) => page.getByTestId('history-table').locator('tbody tr').filter({ hasText: phone });

/** After a browser test file: the browser first, then the processes, skipping any that never started. */
export async function stopAll(browser: DashboardBrowser | undefined, ...processes: ({ stop(): Promise<unknown> } | undefined)[]): Promise<void> {
  await browser?.close();
  for (const process of processes) await process?.stop();
}
