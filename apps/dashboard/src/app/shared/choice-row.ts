import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** One radio button of a ChoiceRow: the value it picks and its words. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A row of radio buttons, one per choice (one markup for every "now or at a date and time"). */
@Component({
  selector: 'app-choice-row',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'choice-row' },
  template: `
    @for (choice of choices(); track choice.value) {
      <label class="choice">
        <input type="radio" [attr.name]="name()" [attr.value]="choice.value" [checked]="value() === choice.value" (change)="chosen.emit(choice.value)" />
        {{ choice.label }}
      </label>
    }
  `,
})
export class ChoiceRow<T extends string> {
  /** The radio group's name. */
  readonly name = input.required<string>();
  readonly choices = input.required<readonly Choice<T>[]>();
  readonly value = input.required<T>();
  readonly chosen = output<T>();
}
