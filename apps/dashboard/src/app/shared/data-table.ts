import { ChangeDetectionStrategy, Component, booleanAttribute, input } from '@angular/core';
import { ColumnHeads } from './column-heads';

/**
 * A list page's table: the scrolling frame, a caption for screen readers, the header row; the
 * `<tbody>` is the content. `stack` lays rows out as cards on narrow screens (`.table--stack`).
 *
 *   <app-data-table caption="API keys" testId="keys-table" [heads]="['Name', 'Role']" actions>
 *     <tbody>…</tbody>
 *   </app-data-table>
 */
@Component({
  selector: 'app-data-table',
  imports: [ColumnHeads],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'table-wrap' },
  styles: ':host { display: block; }',
  template: `
    <table class="table" [class.table--stack]="stack()" [attr.data-testid]="testId()">
      <caption class="visually-hidden">
        {{
          caption()
        }}
      </caption>
      <thead [appColumnHeads]="heads()" [actions]="actions()"></thead>
      <ng-content />
    </table>
  `,
})
export class DataTable {
  readonly caption = input.required<string>();
  readonly heads = input.required<readonly string[]>();
  /** A last column for each row's buttons (see ColumnHeads). */
  readonly actions = input(false, { transform: booleanAttribute });
  readonly stack = input(false, { transform: booleanAttribute });
  readonly testId = input<string>();
}
