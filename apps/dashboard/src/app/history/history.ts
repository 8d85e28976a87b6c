import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { CALL_STATUSES, type CallStatus } from '@call-scheduler/domain/call-status';
import { problemSummary, withFieldLabel } from '../shared/api-error';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { StatusChip, statusLabel } from '../shared/status-chip';
import { USER_TIME_ZONE } from '../shared/time';
import { BulkRetry } from './bulk-retry';
import { ListPager } from '../shared/list-pager';
import { ColumnHeads } from '../shared/column-heads';
import { HistoryService, normaliseSearch } from './history.service';

const SEARCH_DEBOUNCE_MS = 300;
export const HISTORY_STATUSES = CALL_STATUSES.filter((s) => s !== 'pending');

function asStatus(value: string | undefined): CallStatus | null {
  return HISTORY_STATUSES.find((s) => s === value) ?? null;
}

/** History, filtered by `?status=` and `?q=` in the URL, so a filtered view can be bookmarked and shared. */
@Component({
  selector: 'app-history',
  imports: [RouterLink, LocalTimePipe, StatusChip, BulkRetry, ListPager, ColumnHeads],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './history.html',
})
export class CallHistory {
  // Query params, bound by the router.
  readonly status = input<string>();
  readonly q = input<string>();

  protected readonly history = inject(HistoryService);
  protected readonly zone = inject(USER_TIME_ZONE);
  private readonly router = inject(Router);
  protected readonly statuses = HISTORY_STATUSES;
  protected readonly label = statusLabel;
  protected readonly searchText = signal('');
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  // The API's 400 names the query parameter: its message goes beside the search field.
  protected readonly phoneErrors = computed(() =>
    (this.history.problem()?.fields['phoneNumber'] ?? []).map((m) => withFieldLabel(m, 'phoneNumber', 'Phone number')),
  );
  protected readonly pageError = computed(() => {
    const problem = this.history.problem();
    return problem ? problemSummary(problem, ['phoneNumber']) : null;
  });
  /** "4155550150": ten digits and no +, most likely a US number typed without its country code. */
  protected readonly countryCodeHint = computed(() => {
    const typed = normaliseSearch(this.history.filter().phoneNumber);
    return this.phoneErrors().length > 0 && /^\d{10}$/.test(typed) ? `Add the country code: for a US or Canadian number, +1${typed}.` : null;
  });

  constructor() {
    effect(() => {
      const status = asStatus(this.status());
      const phoneNumber = this.q() ?? '';
      untracked(() => {
        if (document.activeElement?.id !== 'history-search') this.searchText.set(phoneNumber);
        void this.history.load({ status, phoneNumber });
      });
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
  }

  protected onStatus(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.navigate({ status: value || null });
  }

  protected onSearch(event: Event): void {
    this.searchText.set((event.target as HTMLInputElement).value);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  protected applySearch(event?: Event): void {
    event?.preventDefault();
    clearTimeout(this.searchTimer);
    this.navigate({ q: this.searchText().trim() || null });
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.navigate({ status: null, q: null });
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams, queryParamsHandling: 'merge', replaceUrl: true });
  }
}
