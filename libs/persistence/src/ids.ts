import { v7 } from 'uuid';

/**
 * A new id for a row that is indexed by it (a call, a series, an event, an API key): a UUID v7,
 * whose leading bits are the time. New ids land at the right-hand end of the primary key and
 * unique indexes instead of on a random page, so each commit dirties and writes fewer pages.
 * Measured against random (v4) ids, issue #11's BullMQ comparison, this service's side alone,
 * medians of 3: schedule 3,666 → 4,036 req/s, burst 1,731 → 2,060 dials/s.
 */
export function newId(): string {
  return v7();
}
