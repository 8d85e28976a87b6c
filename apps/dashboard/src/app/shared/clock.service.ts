import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** A shared one-second tick, so every countdown on screen moves together with one timer. */
@Injectable({ providedIn: 'root' })
export class ClockService {
  private readonly nowMs = signal(Date.now());
  readonly now = this.nowMs.asReadonly();

  constructor() {
    const timer = setInterval(() => this.nowMs.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
