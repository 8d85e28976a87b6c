import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { apiRequestInterceptor } from './api-request.interceptor';
import { AuthService } from './auth.service';

describe('apiRequestInterceptor', () => {
  let http: HttpClient;
  let ctl: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiRequestInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    ctl = TestBed.inject(HttpTestingController);
  });

  it('claims no identity of its own: the key says who acts (no X-Actor)', () => {
    http.delete('/api/calls/x').subscribe();
    http.get('/api/calls/x').subscribe();
    expect(ctl.expectOne((r) => r.method === 'DELETE').request.headers.has('X-Actor')).toBe(false);
    expect(ctl.expectOne((r) => r.method === 'GET').request.headers.has('X-Actor')).toBe(false);
  });

  it('sends the API token once there is one, and asks for it on a 401', () => {
    const auth = TestBed.inject(AuthService);
    http.get('/api/calls/pending').subscribe({ error: () => undefined });
    const refused = ctl.expectOne('/api/calls/pending');
    expect(refused.request.headers.has('Authorization')).toBe(false);
    refused.flush({ statusCode: 401, message: 'token required' }, { status: 401, statusText: 'Unauthorized' });
    expect(auth.required()).toBe(true);

    auth.setToken('s3cret');
    expect(auth.required()).toBe(false);
    expect(sessionStorage.getItem('call-scheduler.api-token')).toBe('s3cret');
    http.get('/api/calls/pending').subscribe();
    expect(ctl.expectOne('/api/calls/pending').request.headers.get('Authorization')).toBe('Bearer s3cret');
  });
});
