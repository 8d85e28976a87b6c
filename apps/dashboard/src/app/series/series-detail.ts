import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallStatus } from '@call-scheduler/domain/call-status';
import type { OccurrenceView, SeriesView } from '@call-scheduler/domain/series-view';
import { formatCalleeClock, formatUtc } from '../shared/callee-time';
import { StatusChip } from '../shared/status-chip';
import { isProblem, SeriesService } from './series.service';
import { DataTable } from '../shared/data-table';

/** One series: what it is, pause / resume / end, its next occurrences and the past ones with their outcomes. */
@Component({
  selector: 'app-series-detail',
  imports: [RouterLink, StatusChip, DataTable, NgTemplateOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './series-detail.html',
})
export class SeriesDetail implements OnInit {
  /** The route's :id (withComponentInputBinding). */
  readonly id = input.required<string>();
  private readonly service = inject(SeriesService);
  protected readonly series = signal<SeriesView | null>(null);
  protected readonly past = signal<OccurrenceView[]>([]);
  protected readonly upcoming = signal<OccurrenceView[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly calleeClock = formatCalleeClock;
  protected readonly utc = formatUtc;

  ngOnInit(): void {
    void this.load();
  }

  protected async act(action: 'pause' | 'resume' | 'end'): Promise<void> {
    this.busy.set(true);
    const result = await this.service.act(this.id(), action);
    this.busy.set(false);
    if (isProblem(result)) {
      this.problem.set(result.message);
      return;
    }
    this.problem.set(null);
    await this.load();
  }

  protected callStatus(o: OccurrenceView): CallStatus {
    return o.status as CallStatus;
  }

  private async load(): Promise<void> {
    try {
      const [series, occurrences] = await Promise.all([this.service.get(this.id()), this.service.occurrences(this.id())]);
      this.series.set(series);
      this.past.set(occurrences.filter((o) => o.status !== 'upcoming').reverse());
      this.upcoming.set(occurrences.filter((o) => o.status === 'upcoming'));
    } catch {
      this.problem.set('This series could not be loaded.');
    }
  }
}
