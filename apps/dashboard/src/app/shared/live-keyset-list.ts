import { HttpClient, HttpParams } from '@angular/common/http';
import { computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import type { CallView, Page } from '@call-scheduler/domain/call-view';
import { LiveService } from '../live/live.service';
import { type ApiProblem, toApiProblem } from './api-error';
import { isNewer } from './call-actions.service';

export interface LiveKeysetListOptions {
  url: string;
  pageSize: number;
  /** The API's order for this list. */
  order: (a: CallView, b: CallView) => number;
  /** Whether a call's latest view belongs in the list (e.g. still pending, matches the filter). */
  belongs: (call: CallView) => boolean;
  /** Query parameters besides limit and cursor. */
  params?: () => Record<string, string>;
}

/**
 * A list of calls paged by keyset from the API and kept current by the live feed. Create it in an
 * injection context (a service's field). Shared by the pending and history views.
 */
export class LiveKeysetList {
  private readonly http = inject(HttpClient);
  private readonly itemsSignal = signal<CallView[]>([]);
  private readonly nextCursorSignal = signal<string | null>(null);
  private readonly loadingSignal = signal(false);
  private readonly problemSignal = signal<ApiProblem | null>(null);
  private loaded = false;
  // Changes that arrive while a page is in flight are applied after it lands, so a stale page
  // cannot undo them.
  private buffered: CallView[] = [];
  // Each fetch's number: an answer to a superseded request (an older filter) is dropped.
  private request = 0;

  readonly items = this.itemsSignal.asReadonly();
  readonly nextCursor = this.nextCursorSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  /** Why the last load failed, with the API's messages per query parameter (`fields`). */
  readonly problem = this.problemSignal.asReadonly();
  readonly error = computed(() => this.problemSignal()?.message ?? null);
  readonly hasMore = computed(() => this.nextCursorSignal() !== null);

  constructor(private readonly options: LiveKeysetListOptions) {
    const live = inject(LiveService);
    live.changes.pipe(takeUntilDestroyed()).subscribe((change) => this.apply(change.call));
    // A load that failed while the API was down would leave the view empty for good.
    live.reconnected.pipe(takeUntilDestroyed()).subscribe(() => {
      if (this.problemSignal() !== null || !this.loaded) void this.load();
    });
  }

  /** Starts over from the first page. */
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

  /** Folds a call's latest view in: updated in place, added in order when it belongs, dropped when it no longer does. */
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
    const onLoadedPages = this.nextCursorSignal() === null || !last || this.options.order(call, last) < 0;
    if (this.options.belongs(call) && onLoadedPages) {
      this.itemsSignal.set([...rest, call].sort(this.options.order));
    } else if (index >= 0) {
      this.itemsSignal.set(rest);
    }
  }

  remove(id: string): void {
    this.itemsSignal.update((items) => items.filter((c) => c.id !== id));
  }

  private async fetch(cursor: string | null): Promise<void> {
    const request = ++this.request;
    this.loadingSignal.set(true);
    this.problemSignal.set(null);
    let params = new HttpParams({ fromObject: { limit: this.options.pageSize, ...this.options.params?.() } });
    if (cursor) params = params.set('cursor', cursor);
    try {
      const page = await firstValueFrom(this.http.get<Page<CallView>>(this.options.url, { params }));
      if (request !== this.request) return;
      const known = new Set(this.itemsSignal().map((c) => c.id));
      this.itemsSignal.update((items) => [...items, ...page.items.filter((c) => !known.has(c.id))].sort(this.options.order));
      this.nextCursorSignal.set(page.nextCursor);
      this.loaded = true;
    } catch (err) {
      if (request === this.request) this.problemSignal.set(toApiProblem(err));
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
