import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { problemSummary, toApiProblem, withFieldLabel } from '../shared/api-error';
import { BULK_RETRY_STATUSES, CallActionsService } from '../shared/call-actions.service';
import { ConfirmButton } from '../shared/confirm-button';
import { USER_TIME_ZONE, formatInstant, instantToWallTime, wallTimeToIso } from '../shared/time';
import { FieldErrors } from '../shared/field-errors';

/** "12 calls will be dialled again" (or that there was nothing to retry). */
export function describeRetried(count: number): string {
  if (count === 0) return 'No failed or missed calls since then: nothing to retry.';
  return `${count} call${count === 1 ? '' : 's'} will be dialled again.`;
}

/**
 * After an outage: dial again every call that failed or was missed since a given time, after a
 * confirmation. The calls then leave History (they are pending again) through the live feed.
 */
@Component({
  selector: 'app-bulk-retry',
  imports: [ConfirmButton, FieldErrors],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="card bulk-retry" data-testid="bulk-retry">
      <summary>Retry failed and missed calls</summary>
      <div class="bulk-retry__body">
        <div class="field" [class.field--invalid]="sinceErrors().length">
          <label for="bulk-retry-since">Failed or missed since</label>
          <input
            id="bulk-retry-since"
            [value]="since()"
            (input)="onSince($event)"
            type="datetime-local"
            step="1"
            required
            aria-describedby="bulk-retry-hint bulk-retry-error"
            [attr.aria-invalid]="sinceErrors().length > 0"
          />
          <p id="bulk-retry-hint" class="hint">In {{ zone }}. Each of those calls is dialled again now.</p>
          <div id="bulk-retry-error" [appFieldErrors]="sinceErrors()"></div>
        </div>
        <app-confirm-button
          [label]="label()"
          tone="primary"
          [question]="question()"
          confirmLabel="Yes, retry them"
          [disabled]="busy() || !sinceIso()"
          (confirmed)="retry()"
        />
      </div>
      <div role="status" aria-live="polite" class="status-region">
        @if (done(); as message) {
          <p class="alert alert--success" data-testid="bulk-retry-done">{{ message }}</p>
        }
      </div>
      @if (error(); as message) {
        <p class="alert alert--error" role="alert">{{ message }}</p>
      }
    </details>
  `,
})
export class BulkRetry {
  private readonly actions = inject(CallActionsService);
  protected readonly zone = inject(USER_TIME_ZONE);

  // An hour ago, to the minute: an outage the operator just saw end is usually that recent.
  protected readonly since = signal(toLocalInput(new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000), this.zone));
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly sinceErrors = signal<string[]>([]);

  protected readonly sinceIso = computed(() => {
    const [date, time] = this.since().split('T');
    return time ? wallTimeToIso(date, time, this.zone) : null;
  });
  private readonly sinceLabel = computed(() => {
    const iso = this.sinceIso();
    return iso ? formatInstant(iso, this.zone) : '…';
  });
  protected readonly label = computed(() => `Retry all failed/missed since ${this.sinceLabel()}`);
  protected readonly question = computed(() => `Dial again every failed or missed call since ${this.sinceLabel()}?`);

  protected onSince(event: Event): void {
    this.since.set((event.target as HTMLInputElement).value);
    this.sinceErrors.set([]);
  }

  protected async retry(): Promise<void> {
    const since = this.sinceIso();
    if (!since) return;
    this.busy.set(true);
    this.done.set(null);
    this.error.set(null);
    this.sinceErrors.set([]);
    try {
      this.done.set(describeRetried(await this.actions.retryAll(BULK_RETRY_STATUSES, since)));
    } catch (err) {
      const problem = toApiProblem(err);
      this.sinceErrors.set((problem.fields['since'] ?? []).map((m) => withFieldLabel(m, 'since', 'The time')));
      this.error.set(problemSummary(problem, ['since']));
    } finally {
      this.busy.set(false);
    }
  }
}

/** "2026-12-01T21:14:05", what a datetime-local input holds, for `instant` in `zone`. */
function toLocalInput(instant: Date, zone: string): string {
  const { date, time } = instantToWallTime(instant, zone);
  return `${date}T${time}`;
}
