import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeEventSource } from '../testing/fake-event-source';
import { App } from './app';
import { EVENT_SOURCE_FACTORY, LiveService } from './live/live.service';

describe('App shell', () => {
  beforeEach(() => {
    // No API key left from another test: with one, the live feed first asks for a ticket.
    sessionStorage.clear();
    FakeEventSource.instances = [];
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) }],
    });
  });

  it('has the main navigation and a link to the Swagger explorer', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const links = Array.from(el.querySelectorAll('nav[aria-label=Main] a')).map((a) => a.textContent.trim());
    expect(links).toEqual(['Overview', 'Schedule', 'Import', 'Pending', 'History', 'Series', 'Keys']);
    expect(el.querySelector('a[href="/api/docs"]')).not.toBeNull();
    expect(el.querySelector('main#main')).not.toBeNull();
  });

  it('shows the live connection state as it changes', async () => {
    const fixture = TestBed.createComponent(App);
    const live = TestBed.inject(LiveService);
    live.connect();
    await fixture.whenStable();
    const status = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid=live-status]')?.textContent.trim();
    expect(status()).toBe('Connecting…');
    FakeEventSource.latest().open();
    await fixture.whenStable();
    expect(status()).toBe('Live');
    FakeEventSource.latest().drop();
    await fixture.whenStable();
    expect(status()).toBe('Disconnected, reconnecting…');
    live.disconnect();
  });
});
