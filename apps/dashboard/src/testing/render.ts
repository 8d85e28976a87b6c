import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';

/** Renders a small host component (the markup under test) and answers its element once stable. */
export async function render(host: Type<unknown>): Promise<HTMLElement> {
  const fixture = TestBed.createComponent(host);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}
