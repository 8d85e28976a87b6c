import { Component } from '@angular/core';
import { render } from '../../testing/render';
import { DataTable } from './data-table';

@Component({
  imports: [DataTable],
  template: `
    <app-data-table caption="API keys" testId="keys-table" [heads]="['Name', 'Role']" actions stack>
      <tbody>
        <tr>
          <td>ci</td>
          <td>reader</td>
          <td></td>
        </tr>
      </tbody>
    </app-data-table>
  `,
})
class Host {}

describe('DataTable', () => {
  it('frames the table with its caption and header row, and takes the rows as content', async () => {
    const table = (await render(Host)).querySelector('app-data-table.table-wrap > table[data-testid=keys-table]')!;
    expect(table.classList).toContain('table--stack');
    expect(table.querySelector('caption')!.textContent.trim()).toBe('API keys');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent.trim())).toEqual(['Name', 'Role', 'Actions']);
    expect(table.querySelector('tbody td')?.textContent).toBe('ci');
  });
});
