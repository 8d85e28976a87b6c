import { ChangeDetectionStrategy, Component, input, type Signal } from '@angular/core';

/** What a paged list shows under its table: how many rows, and a button for the next page. */
export interface PagedList {
  readonly items: Signal<readonly unknown[]>;
  readonly loading: Signal<boolean>;
  readonly hasMore: Signal<boolean>;
  loadMore(): Promise<void>;
}

/** The pager under the pending and history tables (one markup for both). */
@Component({
  selector: 'app-list-pager',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="pager">
      <span class="muted" aria-live="polite">
        {{ list().loading() ? 'Loading…' : list().items().length + ' shown' + (list().hasMore() ? ', more to load' : '') }}
      </span>
      @if (list().hasMore()) {
        <button type="button" class="btn" [disabled]="list().loading()" (click)="list().loadMore()">Load more</button>
      }
    </div>
  `,
})
export class ListPager {
  readonly list = input.required<PagedList>();
}
