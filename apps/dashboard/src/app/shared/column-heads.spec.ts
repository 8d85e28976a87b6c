import { Component } from '@angular/core';
import { render } from '../../testing/render';
import { ColumnHeads } from './column-heads';

@Component({
  imports: [ColumnHeads],
  template: `<table>
    <thead [appColumnHeads]="['Name', 'Role']" actions></thead>
  </table>`,
})
class Host {}

describe('ColumnHeads', () => {
  it('heads each column, and names the actions column for screen readers only', async () => {
    const heads = Array.from((await render(Host)).querySelectorAll('thead > tr > th'));
    expect(heads.map((th) => th.textContent.trim())).toEqual(['Name', 'Role', 'Actions']);
    expect(heads.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect(heads[2].querySelector('.visually-hidden')?.textContent).toBe('Actions');
  });
});
