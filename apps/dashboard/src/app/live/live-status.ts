import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { LiveService } from './live.service';

/** The header badge: live, connecting, or disconnected and retrying. Announced politely. */
@Component({
  selector: 'app-live-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="live" [class]="'live live--' + live.state()" role="status" aria-live="polite" data-testid="live-status">
      <span class="live__dot" aria-hidden="true"></span>
      <span>{{ label() }}</span>
    </span>
  `,
})
export class LiveStatus {
  protected readonly live = inject(LiveService);
  protected readonly label = computed(() => {
    switch (this.live.state()) {
      case 'open':
        return 'Live';
      case 'connecting':
        return 'Connecting…';
      case 'reconnecting':
        return 'Disconnected, reconnecting…';
      default:
        return 'Offline';
    }
  });
}
