import { ChangeDetectionStrategy, Component, type OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { USER_TIME_ZONE } from '../shared/time';
import { ListPager } from '../shared/list-pager';
import { ColumnHeads } from '../shared/column-heads';
import { PendingRow } from './pending-row';
import { PendingService } from './pending.service';

@Component({
  selector: 'app-pending',
  imports: [RouterLink, PendingRow, ListPager, ColumnHeads],
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

    <div class="table-wrap">
      <table class="table table--stack" data-testid="pending-table">
        <caption class="visually-hidden">
          Pending calls, soonest first
        </caption>
        <thead [appColumnHeads]="['Phone number', 'Due', 'Countdown', 'Attempts']" actions></thead>
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
      </table>
    </div>

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
