import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { CALL_STATUSES, type CallStatus } from '@call-scheduler/domain/call-status';
import { STATUS_GROUPS, parseStatusFilter, type StatusGroup } from '@call-scheduler/domain/call-filters';
import { CalleeTime } from '../shared/callee-time';
import { problemSummary, toApiProblem, withFieldLabel } from '../shared/api-error';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { StatusChip, statusLabel } from '../shared/status-chip';
import { USER_TIME_ZONE } from '../shared/time';
import { BulkRetry } from './bulk-retry';
import { ListPager } from '../shared/list-pager';
import { HistoryService } from './history.service';
import { FieldErrors } from '../shared/field-errors';
import { DataTable } from '../shared/data-table';

const SEARCH_DEBOUNCE_MS = 300;
export const HISTORY_STATUSES = CALL_STATUSES.filter((s) => s !== 'pending');

/** The statuses a ?status= filter names (groups expanded); none for no filter or one the API would refuse. */
function statusesOf(filter: string | null | undefined): CallStatus[] {
  try {
    return filter ? parseStatusFilter(filter, HISTORY_STATUSES) : [];
  } catch {
    return [];
  }
}

const GROUP_LABELS: Record<StatusGroup, string> = { 'in-progress': 'In progress', ended: 'Ended', unsuccessful: 'Unsuccessful' };

/** History, filtered by `?status=` and `?q=` in the URL, so a filtered view can be bookmarked and shared. */
@Component({
  selector: 'app-history',
  imports: [RouterLink, LocalTimePipe, StatusChip, BulkRetry, ListPager, CalleeTime, FieldErrors, DataTable],
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
  protected readonly groups = (Object.keys(STATUS_GROUPS) as StatusGroup[]).map((name) => ({ name, label: GROUP_LABELS[name] }));
  protected readonly selected = computed(() => new Set(statusesOf(this.history.filter().status)));
  protected readonly label = statusLabel;
  protected readonly searchText = signal('');
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  // The API's 400 names the query parameter: its message goes beside the search field.
  protected readonly phoneErrors = computed(() => (this.history.problem()?.fields['phone'] ?? []).map((m) => withFieldLabel(m, 'phone', 'Phone number')));
  protected readonly pageError = computed(() => {
    const problem = this.history.problem();
    return problem ? problemSummary(problem, ['phone']) : null;
  });
  constructor() {
    effect(() => {
      const status = this.status() || null;
      const phoneNumber = this.q() ?? '';
      untracked(() => {
        if (document.activeElement?.id !== 'history-search') this.searchText.set(phoneNumber);
        void this.history.load({ status, phoneNumber });
      });
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
  }

  /** A status ticked or unticked: the URL (and so the API) gets the ticked ones, comma-separated. */
  protected onStatus(status: CallStatus, event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    const next = HISTORY_STATUSES.filter((s) => (s === status ? checked : this.selected().has(s)));
    this.navigate({ status: next.length ? next.join(',') : null });
  }

  /** A group (in-progress, ended, unsuccessful): its name goes to the API, which expands it. */
  protected onGroup(group: StatusGroup): void {
    this.navigate({ status: group });
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

  protected readonly exporting = signal(false);
  protected readonly exportError = signal<string | null>(null);

  /** Downloads the filtered history as call-history.csv. */
  protected async exportCsv(): Promise<void> {
    this.exporting.set(true);
    this.exportError.set(null);
    try {
      const url = URL.createObjectURL(await this.history.exportCsv());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'call-history.csv';
      link.click();
      // After the click has handed the file to the browser's download.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      this.exportError.set(toApiProblem(error).message);
    } finally {
      this.exporting.set(false);
    }
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.navigate({ status: null, q: null });
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams, queryParamsHandling: 'merge', replaceUrl: true });
  }
}
