import { windowWait } from '../shared/callee-time';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallView } from '@call-scheduler/domain/call-view';
import { toApiProblem } from '../shared/api-error';
import { canRetry, deadlineOf } from '../shared/call-actions.service';
import { ChoiceRow, type Choice } from '../shared/choice-row';
import { ConfirmButton } from '../shared/confirm-button';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { StatusChip } from '../shared/status-chip';
import { SummaryItem } from '../shared/summary-item';
import { USER_TIME_ZONE, formatInstant, formatMs, instantToWallTime, wallTimeToIso } from '../shared/time';
import { CallDetailService } from './call-detail.service';
import { actorOf, describeEvent } from './event-description';

/** One call: its current view and the audit timeline of every event, live. */
@Component({
  selector: 'app-call-detail',
  imports: [RouterLink, LocalTimePipe, StatusChip, ConfirmButton, ChoiceRow, SummaryItem],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './call-detail.html',
})
export class CallDetail {
  /** Route param `calls/:id`. */
  readonly id = input.required<string>();

  protected readonly detail = inject(CallDetailService);
  protected readonly zone = inject(USER_TIME_ZONE);
  protected readonly inZone = (iso: string, zone: string) => formatInstant(iso, zone);
  protected readonly utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  protected readonly wait = windowWait;
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  protected readonly actionDone = signal<string | null>(null);

  protected readonly timeline = computed(() => {
    const time = (iso: string | null | undefined) => formatInstant(iso, this.zone);
    return this.detail.events().map((event) => ({ event, actor: actorOf(event), ...describeEvent(event, time) }));
  });
  protected readonly retries = computed(() => this.detail.events().filter((e) => e.type === 'CallDispatchFailed').length);
  protected readonly canDispatchAnyway = computed(() => this.detail.call()?.status === 'outcome-unknown');
  protected readonly canAct = computed(() => {
    const status = this.detail.call()?.status;
    return status === 'pending' || status === 'outcome-unknown';
  });
  protected readonly canRetry = computed(() => canRetry(this.detail.call()));
  protected readonly lateness = computed(() => {
    const call = this.detail.call();
    return call ? describeLateness(call) : '—';
  });
  protected readonly deadline = computed(() => {
    const call = this.detail.call();
    return call?.status === 'pending' ? deadlineOf(call) : null;
  });

  // Retry: now, or at a wall-clock date and time in the user's zone.
  protected readonly retryWhen = signal<'now' | 'later'>('now');
  protected readonly retryChoices: readonly Choice<'now' | 'later'>[] = [
    { value: 'now', label: 'Now' },
    { value: 'later', label: 'At a date and time' },
  ];
  protected readonly retryDate = signal('');
  protected readonly retryTime = signal('');
  private readonly retryAt = computed(() => (this.retryWhen() === 'later' ? wallTimeToIso(this.retryDate(), this.retryTime(), this.zone) : null));
  protected readonly retryQuestion = computed(() => {
    const at = this.retryAt();
    return at ? `Dial this call again at ${formatInstant(at, this.zone)}?` : 'Dial this call again now?';
  });

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => {
        this.actionError.set(null);
        this.actionDone.set(null);
        void this.detail.load(id);
      });
    });
  }

  protected dispatch(): void {
    void this.run(() => this.detail.dispatchNow(), 'Dispatch requested.');
  }

  protected setRetryWhen(when: 'now' | 'later'): void {
    this.retryWhen.set(when);
    if (when === 'later' && !this.retryDate()) {
      // An hour from now, to the minute: a sensible starting point to edit.
      const wall = instantToWallTime(new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000), this.zone);
      this.retryDate.set(wall.date);
      this.retryTime.set(wall.time);
    }
  }

  protected retry(): void {
    const at = this.retryAt();
    if (this.retryWhen() === 'later' && !at) {
      this.actionDone.set(null);
      this.actionError.set('Choose the date and time of the retry.');
      return;
    }
    const done = at ? `Retry scheduled for ${formatInstant(at, this.zone)}.` : 'Retry requested: the call is dialled again now.';
    void this.run(() => this.detail.retry(at ?? undefined), done);
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected cancel(): void {
    void this.run(() => this.detail.cancel(), 'Call cancelled.');
  }

  private async run(action: () => Promise<void>, done: string): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.actionDone.set(null);
    try {
      await action();
      this.actionDone.set(done);
    } catch (err) {
      this.actionError.set(toApiProblem(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}

/**
 * The summary's "Dial lateness": only a call that was actually dialled has one. A started attempt
 * whose answer was lost records a lateness too, but nobody knows whether it dialled.
 */
export function describeLateness(call: CallView): string {
  if (call.dispatchedAt || call.providerCallId) return formatMs(call.latenessMs);
  if (call.status === 'outcome-unknown') return 'Unknown: the attempt started but its outcome is unknown';
  if (call.status === 'dispatching') return 'Attempt in progress';
  if (call.status === 'missed' && call.latenessMs !== null) return `Not dialled (found ${formatMs(call.latenessMs)} late)`;
  return 'Not dialled';
}
