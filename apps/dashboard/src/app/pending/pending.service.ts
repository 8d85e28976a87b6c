import { Injectable, inject } from '@angular/core';
import type { CallView } from '@call-scheduler/domain/call-view';
import { CallActionsService, asCallView } from '../shared/call-actions.service';
import { LiveKeysetList } from '../shared/live-keyset-list';

export const PENDING_PAGE_SIZE = 50;

/** When the dispatcher will next act on a pending call: a retry time, else the schedule. */
export function dueAt(call: CallView): string {
  return call.nextAttemptAt ?? call.scheduledAt;
}

function compareDue(a: CallView, b: CallView): number {
  return Date.parse(dueAt(a)) - Date.parse(dueAt(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The pending view, soonest first, paged by keyset and kept current by the live feed. */
@Injectable({ providedIn: 'root' })
export class PendingService {
  private readonly actions = inject(CallActionsService);
  private readonly list = new LiveKeysetList({
    url: '/api/calls/pending',
    pageSize: PENDING_PAGE_SIZE,
    order: compareDue,
    belongs: (call) => call.status === 'pending',
  });

  readonly items = this.list.items;
  readonly nextCursor = this.list.nextCursor;
  readonly loading = this.list.loading;
  readonly error = this.list.error;
  readonly hasMore = this.list.hasMore;

  load(): Promise<void> {
    return this.list.load();
  }

  loadMore(): Promise<void> {
    return this.list.loadMore();
  }

  /** Folds a call's latest view in: pending calls are placed by due time, others leave. */
  apply(call: CallView): void {
    this.list.apply(call);
  }

  async cancel(id: string): Promise<void> {
    const view = asCallView(await this.actions.cancel(id));
    if (view) this.apply(view);
    else this.list.remove(id);
  }

  async reschedule(id: string, scheduledAt: string): Promise<void> {
    this.apply(await this.actions.reschedule(id, scheduledAt));
  }

  async dispatchNow(id: string): Promise<void> {
    this.apply(await this.actions.dispatchNow(id));
  }
}
