import type { ComponentFixture } from '@angular/core/testing';

/**
 * Lets promise continuations after an HTTP flush run (they are not Angular tasks), then waits
 * for change detection, so the DOM shows their result.
 */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await fixture.whenStable();
}
