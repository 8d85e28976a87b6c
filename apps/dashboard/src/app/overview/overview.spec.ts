import { Component, input } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { settle } from '../../testing/settle';
import { type CallChange, LiveService } from '../live/live.service';
import { LatenessChart, type LatenessPoint } from './lateness-chart';
import { Overview } from './overview';

// jsdom has no canvas: the chart itself is exercised in the browser tests.
@Component({ selector: 'app-lateness-chart', template: '<p class="stub-chart">{{ points().length }} bars</p>' })
class StubChart {
  readonly points = input.required<LatenessPoint[]>();
}

describe('Overview page', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: LiveService, useValue: { changes: new Subject<CallChange>() } },
      ],
    });
    TestBed.overrideComponent(Overview, { remove: { imports: [LatenessChart] }, add: { imports: [StubChart] } });
    http = TestBed.inject(HttpTestingController);
  });

  it('shows counts per status linking to the filtered history, and the lateness chart', async () => {
    const fixture = TestBed.createComponent(Overview);
    fixture.detectChanges();
    http.expectOne('/api/calls/stats').flush({
      counts: { pending: 4, completed: 7, 'outcome-unknown': 1 },
      recentLateness: [
        { callId: 'a', dispatchedAt: '2030-01-01T10:00:00Z', latenessMs: 12 },
        { callId: 'b', dispatchedAt: '2030-01-01T10:01:00Z', latenessMs: 40 },
      ],
    });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const completed = el.querySelector<HTMLAnchorElement>('a[data-status=completed]')!;
    expect(completed.textContent).toContain('7');
    expect(completed.getAttribute('href')).toBe('/history?status=completed');
    expect(el.querySelector('a[data-status=pending]')?.getAttribute('href')).toBe('/pending');
    expect(el.querySelector('.stub-chart')?.textContent).toBe('2 bars');
    expect(el.textContent).toContain('worst 40 ms');
    expect(el.textContent).toContain('12 calls on record');
  });
});
