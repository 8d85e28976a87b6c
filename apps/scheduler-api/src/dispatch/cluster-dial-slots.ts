import type { ClusterRepository } from '#persistence';

// A shared dial slot not free yet: asked for again after at most this long.
const MAX_SLOT_WAIT_MS = 250;

/**
 * DISPATCH_RATE for the whole cluster: each dial takes a slot of a sliding window kept in the
 * database (timed by the database's clock), waiting while none is free.
 */
export class ClusterDialSlots {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly state: ClusterRepository,
    private readonly rate: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves true once a slot is taken, false if `stopping()` turned true first; rejects when the database cannot be reached. */
  async take(stopping: () => boolean): Promise<boolean> {
    this.ready ??= this.state.prepareDialSlots(this.rate).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    for (;;) {
      if (stopping()) return false;
      const wait = await this.state.takeDialSlot(this.rate, this.windowMs);
      if (wait <= 0) return !stopping();
      await new Promise((r) => setTimeout(r, Math.min(wait, MAX_SLOT_WAIT_MS)));
    }
  }
}
