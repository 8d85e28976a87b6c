import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A field's error messages, one `<p class="field-error">` each (one markup for every form):
 * `<div id="phone-error" [appFieldErrors]="phoneErrors()"></div>`. The element stays in the page
 * while empty (hidden by `.field-errors:empty`) so that the input's aria-describedby always points
 * at it, and screen readers hear the messages as they appear.
 */
@Component({
  // The host keeps the id the input's aria-describedby names, so this component is an attribute on a <div>.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'div[appFieldErrors]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'field-errors' },
  template: `
    @for (message of messages(); track $index) {
      <p class="field-error">{{ message }}</p>
    }
  `,
})
export class FieldErrors {
  readonly messages = input.required<readonly string[]>({ alias: 'appFieldErrors' });
}
