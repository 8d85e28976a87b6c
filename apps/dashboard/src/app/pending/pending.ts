import { ChangeDetectionStrategy, Component, type OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { USER_TIME_ZONE } from '../shared/time';
import { ListPager } from '../shared/list-pager';
import { DataTable } from '../shared/data-table';
import { PendingRow } from './pending-row';
import { PendingService } from './pending.service';

@Component({
  selector: 'app-pending',
  imports: [RouterLink, PendingRow, ListPager, DataTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-header">
      <div>
        <h1 tabindex="-1">Pending calls</h1>
        <p class="muted">Soonest first · times in {{ zone }}</p>
      </div>
      <a class="btn btn--primary" routerLink="/schedule">Schedule a call</a>
    </div>

    @if (pending.error(); as message) {
      <div class="alert alert--error" role="alert">{{ message }} <button type="button" class="btn btn--small" (click)="reload()">Try again</button></div>
    }

    <app-data-table caption="Pending calls, soonest first" testId="pending-table" [heads]="['Phone number', 'Due', 'Countdown', 'Attempts']" actions stack>
      <tbody>
        @for (call of pending.items(); track call.id) {
          <tr [appPendingRow]="call"></tr>
        } @empty {
          @if (!pending.loading()) {
            <tr class="empty-row">
              <td colspan="5">No pending calls. <a routerLink="/schedule">Schedule one</a>.</td>
            </tr>
          }
        }
      </tbody>
    </app-data-table>

    <app-list-pager [list]="pending" />
  `,
})
export class Pending implements OnInit {
  protected readonly pending = inject(PendingService);
  protected readonly zone = inject(USER_TIME_ZONE);

  ngOnInit(): void {
    void this.pending.load();
  }

  protected reload(): void {
    void this.pending.load();
  }
}
