import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { settle } from '../../testing/settle';
import { Keys } from './keys';

describe('Keys page', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  const render = async (keys: unknown[] = [{ name: 'otto', role: 'operator', createdAt: '2026-12-01T09:00:00Z', revokedAt: null }]) => {
    const fixture = TestBed.createComponent(Keys);
    http.expectOne('/api/keys').flush(keys);
    await settle(fixture);
    return fixture;
  };

  it('lists the keys, issues one and shows it once', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-key=otto]')?.textContent).toContain('operator');
    el.querySelector<HTMLInputElement>('#key-name')!.value = 'vera';
    el.querySelector<HTMLSelectElement>('#key-role')!.value = 'viewer';
    el.querySelector('form')!.dispatchEvent(new Event('submit'));
    const post = http.expectOne({ method: 'POST', url: '/api/keys' });
    expect(post.request.body).toEqual({ name: 'vera', role: 'viewer' });
    post.flush({ name: 'vera', role: 'viewer', createdAt: '2026-12-01T10:00:00Z', key: 'csk_secret' });
    await settle(fixture);
    http.expectOne('/api/keys').flush([]);
    await settle(fixture);
    expect(el.querySelector<HTMLInputElement>('[data-testid=issued-key] input')!.value).toBe('csk_secret');
  });

  it('tells a non-admin that only admins manage keys', async () => {
    const fixture = TestBed.createComponent(Keys);
    http.expectOne('/api/keys').flush({ statusCode: 403, message: 'needs admin' }, { status: 403, statusText: 'Forbidden' });
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=keys-problem]')?.textContent).toContain('Only admin keys');
  });
});
