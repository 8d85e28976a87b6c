import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { toApiProblem } from '../shared/api-error';
import { ConfirmButton } from '../shared/confirm-button';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { StatusChip } from '../shared/status-chip';
import { USER_TIME_ZONE, formatInstant, formatMs } from '../shared/time';
import { CallDetailService } from './call-detail.service';
import { actorOf, describeEvent } from './event-description';

/** One call: its current view and the audit timeline of every event, live. */
@Component({
  selector: 'app-call-detail',
  imports: [RouterLink, LocalTimePipe, StatusChip, ConfirmButton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './call-detail.html',
})
export class CallDetail {
  /** Route param `calls/:id`. */
  readonly id = input.required<string>();

  protected readonly detail = inject(CallDetailService);
  protected readonly zone = inject(USER_TIME_ZONE);
  protected readonly formatMs = formatMs;
  protected readonly inZone = (iso: string, zone: string) => formatInstant(iso, zone);
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
