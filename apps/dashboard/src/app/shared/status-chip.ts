import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CallStatus } from '@call-scheduler/domain/call-status';

type Tone = 'info' | 'progress' | 'success' | 'warning' | 'danger' | 'muted';

const TONES: Record<CallStatus, Tone> = {
  pending: 'info',
  dispatching: 'progress',
  dispatched: 'progress',
  ringing: 'progress',
  connected: 'progress',
  completed: 'success',
  busy: 'warning',
  'no-answer': 'warning',
  missed: 'warning',
  'outcome-unknown': 'danger',
  failed: 'danger',
  cancelled: 'muted',
  untracked: 'muted',
};

/** Human words for a status; the chip's colour is never the only cue. */
export function statusLabel(status: CallStatus): string {
  return status === 'outcome-unknown' ? 'outcome unknown' : status.replace('-', ' ');
}

@Component({
  selector: 'app-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="chip" [class]="'chip chip--' + tone()" [attr.data-status]="status()">
    <span class="chip__dot" aria-hidden="true"></span>{{ label() }}</span
  >`,
})
export class StatusChip {
  readonly status = input.required<CallStatus>();
  protected readonly tone = computed(() => (TONES[this.status()] as Tone | undefined) ?? 'muted'); // a status newer than this build
  protected readonly label = computed(() => statusLabel(this.status()));
}
