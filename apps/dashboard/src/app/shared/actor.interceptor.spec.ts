import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { actorInterceptor } from './actor.interceptor';

describe('actorInterceptor', () => {
  it('names the dashboard on commands, not on reads', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([actorInterceptor])), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpClient);
    const ctl = TestBed.inject(HttpTestingController);
    http.delete('/api/calls/x').subscribe();
    http.get('/api/calls/x').subscribe();
    expect(ctl.expectOne((r) => r.method === 'DELETE').request.headers.get('X-Actor')).toBe('dashboard');
    expect(ctl.expectOne((r) => r.method === 'GET').request.headers.has('X-Actor')).toBe(false);
  });
});
