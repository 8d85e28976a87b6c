import { Component } from '@angular/core';
import { render } from '../../testing/render';
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
    const item = (await render(Host)).querySelector('dl > div')!;
    expect(item.querySelector('dt')?.textContent).toBe('Attempts');
    expect(item.querySelector('dd')?.textContent.trim()).toBe('2 (1 failed)');
  });
});
