import { ChangeDetectionStrategy, Component, booleanAttribute, input } from '@angular/core';

/**
 * A table's header row, one `<th scope="col">` per label (one markup for every table). `actions`
 * adds a last column for a row's buttons, named for screen readers only.
 */
@Component({
  // The header must stay a <thead> for the table's layout and semantics, so this component is an attribute on one.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'thead[appColumnHeads]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <tr>
      @for (label of labels(); track $index) {
        <th scope="col">{{ label }}</th>
      }
      @if (actions()) {
        <th scope="col"><span class="visually-hidden">Actions</span></th>
      }
    </tr>
  `,
})
export class ColumnHeads {
  readonly labels = input.required<readonly string[]>({ alias: 'appColumnHeads' });
  readonly actions = input(false, { transform: booleanAttribute });
}
