import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { settle } from '../../testing/settle';
import { USER_TIME_ZONE } from '../shared/time';
import { BulkRetry, describeRetried } from './bulk-retry';

describe('BulkRetry', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: USER_TIME_ZONE, useValue: 'Europe/Paris' }],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render() {
    const fixture = TestBed.createComponent(BulkRetry);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const since = el.querySelector<HTMLInputElement>('#bulk-retry-since')!;
    since.value = '2026-12-01T21:00:00';
    since.dispatchEvent(new Event('input'));
    await settle(fixture);
    const button = (name: RegExp) => Array.from(el.querySelectorAll('button')).find((b) => name.test(b.textContent.trim()))!;
    return { fixture, el, button };
  }

  it('asks first, then retries failed and missed calls since the time given (with its offset) and says how many', async () => {
    const { fixture, el, button } = await render();
    button(/^Retry all failed\/missed since .*21:00:00/).click();
    await settle(fixture);
    expect(el.textContent).toContain('Dial again every failed or missed call since');
    http.expectNone('/api/calls/retry');
    button(/^Yes, retry them$/).click();
    const req = http.expectOne('/api/calls/retry');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ status: ['failed', 'missed'], since: '2026-12-01T21:00:00+01:00' });
    req.flush({ count: 12 });
    await settle(fixture);
    expect(el.querySelector('[data-testid=bulk-retry-done]')?.textContent).toContain('12 calls will be dialled again');
  });

  it('shows the API refusing the time beside the input', async () => {
    const { fixture, el, button } = await render();
    button(/^Retry all/).click();
    await settle(fixture);
    button(/^Yes, retry them$/).click();
    http
      .expectOne('/api/calls/retry')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: ['since is in the future'], fields: { since: ['since is in the future'] } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);
    expect(el.querySelector('#bulk-retry-error')?.textContent).toContain('The time is in the future');
    expect(el.querySelector('#bulk-retry-since')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('words the count', () => {
    expect(describeRetried(1)).toBe('1 call will be dialled again.');
    expect(describeRetried(0)).toContain('nothing to retry');
  });
});
