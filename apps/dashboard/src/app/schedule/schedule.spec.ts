import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeCall } from '../../testing/fixtures';
import { settle } from '../../testing/settle';
import { USER_TIME_ZONE } from '../shared/time';
import { Schedule } from './schedule';

describe('Schedule page', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: USER_TIME_ZONE, useValue: 'America/New_York' }],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render() {
    const fixture = TestBed.createComponent(Schedule);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const type = async (selector: string, value: string) => {
      const input = el.querySelector<HTMLInputElement>(selector)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const submit = async () => {
      el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await fixture.whenStable();
    };
    const phoneError = () => el.querySelector('[data-testid=phoneNumber-error]')?.textContent.trim() ?? '';
    return { fixture, el, type, submit, phoneError };
  }

  it('shows the user zone next to the date and time', async () => {
    const { el } = await render();
    expect(el.querySelector('[data-testid=zone-note]')?.textContent).toMatch(/America\/New_York \(UTC-0[45]:00\)/);
  });

  it('validates the number as the user types and sends nothing while it is invalid', async () => {
    const { el, type, submit, phoneError } = await render();
    await type('#phoneNumber', '415');
    expect(phoneError()).toMatch(/Start with \+/);
    await type('#phoneNumber', '+1415');
    expect(phoneError()).toMatch(/not a valid phone number/);
    expect(el.querySelector('#phoneNumber')?.getAttribute('aria-invalid')).toBe('true');
    await submit();
    http.expectNone('/api/calls');
    await type('#phoneNumber', '+14155550100');
    expect(phoneError()).toBe('');
  });

  it("sends the wall time as typed, local to the callee's zone, with that zone, and confirms", async () => {
    const { fixture, el, type, submit } = await render();
    await type('#phoneNumber', '+1 415 555 0100');
    await type('#scheduledDate', '2030-01-15');
    await type('#scheduledTime', '09:30:05');
    el.querySelector('#phoneNumber')!.dispatchEvent(new Event('blur'));
    await submit();
    const req = http.expectOne('/api/calls');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      phoneNumber: '+14155550100',
      scheduledAt: '2030-01-15T09:30:05',
      timezone: 'America/New_York',
    });
    expect(req.request.headers.get('Idempotency-Key')).toBeTruthy();
    req.flush(makeCall({ id: 'c1', phoneNumber: '+14155550100', scheduledAt: '2030-01-15T14:30:05.000Z' }), { status: 201, statusText: 'Created' });
    await settle(fixture);
    const success = el.querySelector('[data-testid=schedule-success]')?.textContent ?? '';
    expect(success).toContain('Call to +14155550100 scheduled for');
    expect(success).toContain('09:30:05');
    expect(el.querySelector('a[href="/calls/c1"]')).not.toBeNull();
    expect(el.querySelector<HTMLInputElement>('#phoneNumber')!.value).toBe('');
    // The emptied field is ready for the next number, not flagged as an error.
    expect(el.querySelector('[data-testid=phoneNumber-error]')?.textContent.trim()).toBe('');
  });

  it('"Call now" omits scheduledAt', async () => {
    const { fixture, el, type, submit } = await render();
    await type('#phoneNumber', '+14155550100');
    el.querySelector<HTMLInputElement>('input[value=now]')!.click();
    await fixture.whenStable();
    expect(el.querySelector('#scheduledDate')).toBeNull();
    await submit();
    const req = http.expectOne('/api/calls');
    expect(req.request.body).toEqual({ phoneNumber: '+14155550100', timezone: 'America/New_York' });
    req.flush(makeCall({ id: 'c2' }));
    await settle(fixture);
    expect(el.querySelector('[data-testid=schedule-success]')?.textContent).toContain('is being placed now');
  });

  it("shows the API's field errors beside the fields until the user edits them", async () => {
    const { fixture, el, type, submit, phoneError } = await render();
    await type('#phoneNumber', '+14155550100');
    await submit();
    http.expectOne('/api/calls').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: ['phoneNumber is blocked', 'scheduledAt must be in the future'],
        fields: { phoneNumber: ['phoneNumber is blocked'], scheduledAt: ['scheduledAt must be in the future'] },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle(fixture);
    expect(phoneError()).toBe('Phone number is blocked');
    expect(el.querySelector('[data-testid=scheduledAt-error]')?.textContent).toContain('Date and time must be in the future');
    expect(el.querySelector('[data-testid=form-error]')?.textContent).toContain('Please correct');
    expect(document.activeElement?.id).toBe('phoneNumber');
    await type('#phoneNumber', '+14155550101');
    expect(phoneError()).toBe('');
    expect(el.querySelector('[data-testid=scheduledAt-error]')?.textContent).toContain('Date and time must be in the future');
  });
});
