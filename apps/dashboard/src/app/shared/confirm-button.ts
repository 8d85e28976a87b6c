import { ChangeDetectionStrategy, Component, type ElementRef, afterRenderEffect, computed, input, output, signal, viewChild } from '@angular/core';

/**
 * An action that asks first (mostly destructive ones), in place: "Cancel" becomes "Cancel this call?
 * [Yes, cancel] [Keep it]" with focus on the confirming button; Escape or "Keep it" backs out.
 */
@Component({
  selector: 'app-confirm-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (!asking()) {
      <button
        #trigger
        type="button"
        [class]="tone() === 'danger' ? 'btn btn--danger-outline' : 'btn btn--primary'"
        [disabled]="disabled()"
        (click)="ask()"
        [attr.aria-label]="ariaLabel() || null"
      >
        {{ label() }}
      </button>
    } @else {
      <span [class]="'confirm confirm--' + tone()" role="group" [attr.aria-label]="question()" (keydown.escape)="back()">
        <span class="confirm__question">{{ question() }}</span>
        <button #yes type="button" [class]="tone() === 'danger' ? 'btn btn--danger' : 'btn btn--primary'" (click)="confirm()">{{ confirmLabel() }}</button>
        <button type="button" class="btn btn--ghost" (click)="back()">{{ backLabel() }}</button>
      </span>
    }
  `,
})
export class ConfirmButton {
  readonly label = input.required<string>();
  readonly question = input('Are you sure?');
  readonly confirmLabel = input('Yes');
  /** The way back; by default "No, keep it" when the action destroys, "Back" when it does not. */
  readonly keepLabel = input<string>();
  readonly ariaLabel = input<string>('');
  readonly disabled = input(false);
  /** `primary` for an action that asks first but destroys nothing (retrying calls). */
  readonly tone = input<'danger' | 'primary'>('danger');
  readonly confirmed = output();

  protected readonly backLabel = computed(() => this.keepLabel() ?? (this.tone() === 'primary' ? 'Back' : 'No, keep it'));

  protected readonly asking = signal(false);
  private readonly yes = viewChild<ElementRef<HTMLButtonElement>>('yes');
  private readonly trigger = viewChild<ElementRef<HTMLButtonElement>>('trigger');
  private returnFocus = false;

  constructor() {
    // Focus follows the question: onto the confirming button when it appears, back to the
    // trigger when the user backs out, so keyboard users never lose their place.
    afterRenderEffect(() => {
      const yes = this.yes();
      const trigger = this.trigger();
      if (yes) yes.nativeElement.focus();
      else if (trigger && this.returnFocus) {
        this.returnFocus = false;
        trigger.nativeElement.focus();
      }
    });
  }

  protected ask(): void {
    this.asking.set(true);
  }

  protected back(): void {
    this.returnFocus = true;
    this.asking.set(false);
  }

  protected confirm(): void {
    this.returnFocus = true;
    this.asking.set(false);
    this.confirmed.emit();
  }
}
