import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { USER_TIME_ZONE } from '../shared/time';
import { HealthBanner, describeInstances, describeOutage, describeSealLag } from './health-banner';
import { type HealthReport, HealthService } from './health.service';

describe('describeOutage', () => {
  const now = new Date('2026-12-01T22:00:00Z');

  it('says since when in the operator zone (HH:MM:SS) and how many calls wait', () => {
    expect(describeOutage('Call API', { since: '2026-12-01T21:14:05.120Z', waiting: 37 }, 'Europe/Paris', now)).toBe(
      'Call API unreachable since 22:14:05 — 37 calls waiting',
    );
    expect(describeOutage('Call API', { since: '2026-12-01T21:14:05.120Z', waiting: 1 }, 'UTC', now)).toBe(
      'Call API unreachable since 21:14:05 — 1 call waiting',
    );
  });

  it('leaves out what it was not told', () => {
    expect(describeOutage('Database', { since: null, waiting: null }, 'UTC', now)).toBe('Database unreachable');
  });

  it('names the day of an outage that began before today', () => {
    expect(describeOutage('Database', { since: '2026-11-30T08:00:00Z', waiting: null }, 'UTC', now)).toMatch(/^Database unreachable since .*30.*, 08:00:00$/);
  });
});

describe('describeSealLag', () => {
  it('says nothing while the sealer keeps up', () => {
    expect(describeSealLag(null)).toBeNull();
    expect(describeSealLag({ unsealed: 0, oldestUnsealedMs: null })).toBeNull();
    expect(describeSealLag({ unsealed: 40, oldestUnsealedMs: 12 })).toBeNull();
  });

  it("counts the unsealed events and the oldest one's age once it falls behind", () => {
    expect(describeSealLag({ unsealed: 12, oldestUnsealedMs: 8400 })).toBe('Event log: 12 events not yet sealed, oldest 8 s');
    expect(describeSealLag({ unsealed: 1, oldestUnsealedMs: 5000 })).toBe('Event log: 1 event not yet sealed, oldest 5 s');
  });
});

describe('describeInstances', () => {
  it('says nothing for one instance or none known', () => {
    expect(describeInstances(undefined)).toBeNull();
    expect(describeInstances({ live: 1, gone: 0 })).toBeNull();
  });

  it('counts a cluster, naming the gone ones only when there are some', () => {
    expect(describeInstances({ live: 3, gone: 0 })).toBe('Instances: 3 live');
    expect(describeInstances({ live: 2, gone: 1 })).toBe('Instances: 2 live, 1 gone');
  });
});

describe('HealthBanner', () => {
  const report = signal<HealthReport | null>(null);

  beforeEach(() => {
    report.set(null);
    TestBed.configureTestingModule({
      providers: [
        { provide: HealthService, useValue: { report } },
        { provide: USER_TIME_ZONE, useValue: 'Asia/Tokyo' },
      ],
    });
  });

  it('shows each outage in a live region while it lasts, and nothing once all is up', async () => {
    const fixture = TestBed.createComponent(HealthBanner);
    await fixture.whenStable();
    const region = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=health-banner]')!;
    expect(region.getAttribute('role')).toBe('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent.trim()).toBe('');

    report.set({ callApi: { since: '2026-12-01T12:14:05.000Z', waiting: 37 }, database: null, sealLag: null });
    await fixture.whenStable();
    // 12:14 UTC is 21:14 in Tokyo (with the day in front unless the test runs that day).
    expect(region.textContent).toMatch(/Call API unreachable since (.+, )?21:14:05 — 37 calls waiting/);

    report.set({ callApi: null, database: { since: null, waiting: null }, sealLag: null });
    await fixture.whenStable();
    expect(region.textContent.trim()).toBe('⚠ Database unreachable');

    report.set({ callApi: null, database: null, sealLag: null });
    await fixture.whenStable();
    expect(region.textContent.trim()).toBe('');
  });
});
