import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import type { CallView, Page } from '@call-scheduler/domain/call-view';
import type { CallStatus } from '@call-scheduler/domain/call-status';
import { LiveService } from '../live/live.service';
import { toApiProblem } from '../shared/api-error';
import { isNewer } from '../shared/call-actions.service';

export const HISTORY_PAGE_SIZE = 50;

export interface HistoryFilter {
  status: CallStatus | null;
  phoneNumber: string;
}

/** What the user typed, reduced to what a phone number can contain ("+1 (415) 555" → "+1415555"). */
export function normaliseSearch(text: string): string {
  return text.replace(/[^\d+]/g, '');
}

/** The API's history filter, applied to a live change: not pending, the status, the exact number. */
export function matchesFilter(call: CallView, filter: HistoryFilter): boolean {
  if (call.status === 'pending') return false;
  if (filter.status && call.status !== filter.status) return false;
  const number = normaliseSearch(filter.phoneNumber);
  return !number || call.phoneNumber === number;
}

// The API's order: latest scheduled first, then id descending.
function compareNewest(a: CallView, b: CallView): number {
  return Date.parse(b.scheduledAt) - Date.parse(a.scheduledAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Every call that left `pending`, newest first, filtered and paged, kept current by the live feed. */
@Injectable({ providedIn: 'root' })
export class HistoryService {
  private readonly http = inject(HttpClient);

  private readonly itemsSignal = signal<CallView[]>([]);
  private readonly nextCursorSignal = signal<string | null>(null);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private readonly filterSignal = signal<HistoryFilter>({ status: null, phoneNumber: '' });
  private loaded = false;
  private buffered: CallView[] = [];
  private request = 0;

  readonly items = this.itemsSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly filter = this.filterSignal.asReadonly();
  readonly hasMore = computed(() => this.nextCursorSignal() !== null);

  constructor() {
    const live = inject(LiveService);
    live.changes.pipe(takeUntilDestroyed()).subscribe((change) => this.apply(change.call));
    // A load that failed while the API was down would leave the view empty for good.
    live.reconnected.pipe(takeUntilDestroyed()).subscribe(() => {
      if (this.errorSignal() !== null || !this.loaded) void this.load();
    });
  }

  /** Loads the first page for `filter` (a new filter starts over). */
  async load(filter: HistoryFilter = this.filterSignal()): Promise<void> {
    this.filterSignal.set({ status: filter.status || null, phoneNumber: filter.phoneNumber.trim() });
    this.itemsSignal.set([]);
    this.nextCursorSignal.set(null);
    await this.fetch(null);
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursorSignal();
    if (cursor === null || this.loadingSignal()) return;
    await this.fetch(cursor);
  }

  /** Folds a call's latest view in: updated in place, added in order when it newly matches, dropped when it no longer does. */
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
    const last = rest[rest.length - 1];
    // Past the last loaded row while more pages exist, it belongs to a page not fetched yet.
    const onLoadedPages = this.nextCursorSignal() === null || !last || compareNewest(call, last) < 0;
    if (matchesFilter(call, this.filterSignal()) && onLoadedPages) {
      this.itemsSignal.set([...rest, call].sort(compareNewest));
    } else if (index >= 0) {
      this.itemsSignal.set(rest);
    }
  }

  private async fetch(cursor: string | null): Promise<void> {
    const request = ++this.request;
    const filter = this.filterSignal();
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    let params = new HttpParams().set('limit', HISTORY_PAGE_SIZE);
    if (filter.status) params = params.set('status', filter.status);
    if (filter.phoneNumber) params = params.set('phoneNumber', normaliseSearch(filter.phoneNumber));
    if (cursor) params = params.set('cursor', cursor);
    try {
      const page = await firstValueFrom(this.http.get<Page<CallView>>('/api/calls/history', { params }));
      if (request !== this.request) return; // a newer filter superseded this answer
      const known = new Set(this.itemsSignal().map((c) => c.id));
      this.itemsSignal.update((items) => [...items, ...page.items.filter((c) => !known.has(c.id))]);
      this.nextCursorSignal.set(page.nextCursor);
      this.loaded = true;
    } catch (err) {
      if (request === this.request) this.errorSignal.set(toApiProblem(err).message);
    } finally {
      if (request === this.request) {
        this.loadingSignal.set(false);
        const buffered = this.buffered;
        this.buffered = [];
        buffered.forEach((call) => this.apply(call));
      }
    }
  }
}
