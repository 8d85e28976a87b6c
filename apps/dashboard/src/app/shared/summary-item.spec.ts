import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SummaryItem } from './summary-item';

@Component({
  imports: [SummaryItem],
  template: `<dl>
    <div appSummaryItem="Attempts">{{ 2 }} (1 failed)</div>
  </dl>`,
})
class Host {}

describe('SummaryItem', () => {
  it('puts the term in a <dt> and the content in its <dd>', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const item = (fixture.nativeElement as HTMLElement).querySelector('dl > div')!;
    expect(item.querySelector('dt')?.textContent).toBe('Attempts');
    expect(item.querySelector('dd')?.textContent.trim()).toBe('2 (1 failed)');
  });
});
