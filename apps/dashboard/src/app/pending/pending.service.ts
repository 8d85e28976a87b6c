import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import type { CallView, Page } from '@call-scheduler/domain/call-view';
import { LiveService } from '../live/live.service';
import { toApiProblem } from '../shared/api-error';
import { CallActionsService, asCallView, isNewer } from '../shared/call-actions.service';

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
  private readonly http = inject(HttpClient);
  private readonly actions = inject(CallActionsService);

  private readonly itemsSignal = signal<CallView[]>([]);
  private readonly nextCursorSignal = signal<string | null>(null);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private loaded = false;
  // Changes that arrive while a page is in flight are applied after it lands, so a stale page
  // cannot undo them.
  private buffered: CallView[] = [];

  readonly items = this.itemsSignal.asReadonly();
  readonly nextCursor = this.nextCursorSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly hasMore = computed(() => this.nextCursorSignal() !== null);

  constructor() {
    const live = inject(LiveService);
    live.changes.pipe(takeUntilDestroyed()).subscribe((change) => this.apply(change.call));
    // A load that failed while the API was down would leave the view empty for good.
    live.reconnected.pipe(takeUntilDestroyed()).subscribe(() => {
      if (this.errorSignal() !== null || !this.loaded) void this.load();
    });
  }

  async load(): Promise<void> {
    this.itemsSignal.set([]);
    this.nextCursorSignal.set(null);
    await this.fetch(null);
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursorSignal();
    if (cursor === null || this.loadingSignal()) return;
    await this.fetch(cursor);
  }

  /** Folds a call's latest view in: pending calls are placed by due time, others leave. */
  apply(call: CallView): void {
    if (this.loadingSignal()) {
      this.buffered.push(call);
      return;
    }
    if (!this.loaded) return;
    const items = this.itemsSignal();
    const index = items.findIndex((c) => c.id === call.id);
    if (index >= 0 && !isNewer(call, items[index])) return;
    const rest = index >= 0 ? items.filter((_, i) => i !== index) : items;
    if (call.status !== 'pending') {
      if (index >= 0) this.itemsSignal.set(rest);
      return;
    }
    // Past the last loaded row while more pages exist, it belongs to a page not fetched yet.
    const last = rest[rest.length - 1];
    if (this.nextCursorSignal() !== null && last && compareDue(call, last) > 0) {
      if (index >= 0) this.itemsSignal.set(rest);
      return;
    }
    this.itemsSignal.set([...rest, call].sort(compareDue));
  }

  async cancel(id: string): Promise<void> {
    const view = asCallView(await this.actions.cancel(id));
    if (view) this.apply(view);
    else this.itemsSignal.update((items) => items.filter((c) => c.id !== id));
  }

  async reschedule(id: string, scheduledAt: string): Promise<void> {
    this.apply(await this.actions.reschedule(id, scheduledAt));
  }

  async dispatchNow(id: string): Promise<void> {
    this.apply(await this.actions.dispatchNow(id));
  }

  private async fetch(cursor: string | null): Promise<void> {
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    let params = new HttpParams().set('limit', PENDING_PAGE_SIZE);
    if (cursor) params = params.set('cursor', cursor);
    try {
      const page = await firstValueFrom(this.http.get<Page<CallView>>('/api/calls/pending', { params }));
      const known = new Set(this.itemsSignal().map((c) => c.id));
      this.itemsSignal.update((items) => [...items, ...page.items.filter((c) => !known.has(c.id))].sort(compareDue));
      this.nextCursorSignal.set(page.nextCursor);
      this.loaded = true;
    } catch (err) {
      this.errorSignal.set(toApiProblem(err).message);
    } finally {
      this.loadingSignal.set(false);
      const buffered = this.buffered;
      this.buffered = [];
      buffered.forEach((call) => this.apply(call));
    }
  }
}
