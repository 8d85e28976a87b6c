import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { CallView } from '@call-scheduler/domain/call-view';
import { CALL_STATUSES } from '@call-scheduler/domain/call-status';
import { parseStatusFilter, phoneSearchDigits } from '@call-scheduler/domain/call-filters';
import { LiveKeysetList } from '../shared/live-keyset-list';

export const HISTORY_PAGE_SIZE = 50;

export interface HistoryFilter {
  // The API's ?status=: statuses and groups, comma-separated ("completed,failed", "in-progress").
  status: string | null;
  // A whole or partial number, international or national format (?phone=).
  phoneNumber: string;
}

/** What the user typed, reduced to what a phone number can contain ("+1 (415) 555" → "+1415555"). */
export function normaliseSearch(text: string): string {
  return text.replace(/[^\d+]/g, '');
}

/** The API's history filter (the same domain rules), applied to a live change: not pending, the statuses, the number search. */
export function matchesFilter(call: CallView, filter: HistoryFilter): boolean {
  if (call.status === 'pending') return false;
  try {
    if (filter.status && !parseStatusFilter(filter.status, CALL_STATUSES).includes(call.status)) return false;
    const number = filter.phoneNumber.trim();
    return !number || phoneSearchDigits(number).some((digits) => call.phoneNumber.includes(digits));
  } catch {
    // A filter the API refuses lists nothing; the page shows the API's message.
    return false;
  }
}

// The API's order: latest change first, then id descending. A call that changes (cancelled,
// completed, retried) moves to the top, whatever time it was scheduled for.
export function compareLatestChange(a: CallView, b: CallView): number {
  return Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Every call that left `pending`, latest change first, filtered and paged, kept current by the live feed. */
@Injectable({ providedIn: 'root' })
export class HistoryService {
  private readonly http = inject(HttpClient);
  private readonly filterSignal = signal<HistoryFilter>({ status: null, phoneNumber: '' });
  private readonly list = new LiveKeysetList({
    url: '/api/calls/history',
    pageSize: HISTORY_PAGE_SIZE,
    order: compareLatestChange,
    belongs: (call) => matchesFilter(call, this.filterSignal()),
    params: () => this.params(),
  });

  readonly items = this.list.items;
  readonly loading = this.list.loading;
  readonly error = this.list.error;
  readonly problem = this.list.problem;
  readonly filter = this.filterSignal.asReadonly();
  readonly hasMore = this.list.hasMore;

  /** Loads the first page for `filter` (a new filter starts over). */
  load(filter: HistoryFilter = this.filterSignal()): Promise<void> {
    this.filterSignal.set({ status: filter.status || null, phoneNumber: filter.phoneNumber.trim() });
    return this.list.load();
  }

  loadMore(): Promise<void> {
    return this.list.loadMore();
  }

  /**
   * Every call the current filter matches, as the API's CSV. Fetched rather than linked: a link
   * cannot carry the API key's Authorization header.
   */
  exportCsv(): Promise<Blob> {
    return firstValueFrom(this.http.get('/api/calls/history', { params: { ...this.params(), format: 'csv' }, responseType: 'blob' }));
  }

  private params(): Record<string, string> {
    const { status, phoneNumber } = this.filterSignal();
    return { ...(status ? { status } : {}), ...(phoneNumber ? { phone: phoneNumber } : {}) };
  }

  /** Folds a call's latest view in: updated in place, added in order when it newly matches, dropped when it no longer does. */
  apply(call: CallView): void {
    this.list.apply(call);
  }
}
