import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
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
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const heads = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('thead > tr > th'));
    expect(heads.map((th) => th.textContent.trim())).toEqual(['Name', 'Role', 'Actions']);
    expect(heads.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect(heads[2].querySelector('.visually-hidden')?.textContent).toBe('Actions');
  });
});
