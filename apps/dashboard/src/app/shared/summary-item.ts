import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * One term of a summary list: `<div appSummaryItem="Created">…</div>` becomes the term and, from
 * the content, its description (one markup for every plain row of a `<dl>`).
 */
@Component({
  // A <dl> may hold only <div> groups of <dt>/<dd>, so this component is an attribute on the <div>.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'div[appSummaryItem]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<dt>{{ term() }}</dt>
    <dd><ng-content /></dd>`,
})
export class SummaryItem {
  readonly term = input.required<string>({ alias: 'appSummaryItem' });
}
