import { ChangeDetectionStrategy, Component, type ElementRef, computed, inject, input, signal, viewChild, afterRenderEffect } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallView } from '@call-scheduler/domain/call-view';
import { toApiProblem, withFieldLabel } from '../shared/api-error';
import { ClockService } from '../shared/clock.service';
import { CalleeTime, windowWait } from '../shared/callee-time';
import { ConfirmButton } from '../shared/confirm-button';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { USER_TIME_ZONE, formatCountdown, instantToWallTime, wallTimeToIso } from '../shared/time';
import { PendingService, dueAt } from './pending.service';

/** One pending call: when it is due, a live countdown, and the operator's actions. */
@Component({
  // A table row must stay a <tr> for the table's layout and semantics, so this component is an attribute on one.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'tr[appPendingRow]',
  imports: [RouterLink, LocalTimePipe, ConfirmButton, CalleeTime],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-call-id]': 'call().id', class: 'pending-row' },
  templateUrl: './pending-row.html',
})
export class PendingRow {
  protected readonly windowWait = computed(() => windowWait(this.call()));
  readonly call = input.required<CallView>({ alias: 'appPendingRow' });

  private readonly service = inject(PendingService);
  private readonly clock = inject(ClockService);
  private readonly zone = inject(USER_TIME_ZONE);

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly editing = signal(false);
  protected readonly editDate = signal('');
  protected readonly editTime = signal('');

  private readonly dateInput = viewChild<ElementRef<HTMLInputElement>>('editDateInput');

  protected readonly due = computed(() => dueAt(this.call()));
  protected readonly isRetry = computed(() => this.call().attempts > 0);
  protected readonly countdown = computed(() => formatCountdown(Date.parse(this.due()) - this.clock.now()));

  constructor() {
    afterRenderEffect(() => {
      if (this.editing()) this.dateInput()?.nativeElement.focus();
    });
  }

  protected startEdit(): void {
    const wall = instantToWallTime(new Date(this.call().scheduledAt), this.zone);
    this.editDate.set(wall.date);
    this.editTime.set(wall.time);
    this.error.set(null);
    this.editing.set(true);
  }

  protected stopEdit(): void {
    this.editing.set(false);
  }

  protected async saveReschedule(event: Event): Promise<void> {
    event.preventDefault();
    const scheduledAt = wallTimeToIso(this.editDate(), this.editTime(), this.zone);
    if (!scheduledAt) {
      this.error.set('Choose a date and a time.');
      return;
    }
    const done = await this.run(() => this.service.reschedule(this.call().id, scheduledAt));
    if (done) this.editing.set(false);
  }

  protected dispatchNow(): void {
    void this.run(() => this.service.dispatchNow(this.call().id));
  }

  protected cancel(): void {
    void this.run(() => this.service.cancel(this.call().id));
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  private async run(action: () => Promise<void>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
      return true;
    } catch (err) {
      const problem = toApiProblem(err);
      const fieldMessages = Object.entries(problem.fields).flatMap(([field, messages]) =>
        messages.map((m) => withFieldLabel(m, field, field === 'scheduledAt' ? 'The new time' : field)),
      );
      this.error.set(fieldMessages.length ? fieldMessages.join(' ') : problem.message);
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
