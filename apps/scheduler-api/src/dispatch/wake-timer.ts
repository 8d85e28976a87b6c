import type { Clock } from '../common/clock.js';

// setTimeout's longest delay; a later wake-up is re-armed when this one fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One pending wake-up at the soonest time anyone asked for: asking for a later time while an
 * earlier one is armed changes nothing, an earlier one replaces it.
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  armFor(at: number): void {
    if (this.timer && at >= this.armedAt) return;
    clearTimeout(this.timer);
    this.armedAt = at;
    const delay = Math.min(Math.max(0, at - this.clock.now().getTime()), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = Number.POSITIVE_INFINITY;
      this.fire();
    }, delay);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }
}
