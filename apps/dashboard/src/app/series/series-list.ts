import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { SeriesView } from '@call-scheduler/domain/series-view';
import type { ApiProblem } from '../shared/api-error';
import { formatCalleeClock } from '../shared/callee-time';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { USER_TIME_ZONE } from '../shared/time';
import { isProblem, SeriesService, type NewSeries } from './series.service';
import { DataTable } from '../shared/data-table';

/** Recurring calls: every series, and a form to create one. */
@Component({
  selector: 'app-series-list',
  imports: [RouterLink, LocalTimePipe, DataTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './series-list.html',
})
export class SeriesList {
  private readonly service = inject(SeriesService);
  private readonly router = inject(Router);
  protected readonly zones = Intl.supportedValuesOf('timeZone');
  protected readonly defaultZone = inject(USER_TIME_ZONE);
  protected readonly series = signal<SeriesView[]>([]);
  protected readonly loadError = signal<string | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  protected readonly calleeClock = formatCalleeClock;

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.series.set(await this.service.list());
      this.loadError.set(null);
    } catch {
      this.loadError.set('The series could not be loaded.');
    }
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() || undefined : undefined;
    };
    const count = text('count');
    const body: NewSeries = {
      phoneNumber: text('phoneNumber') ?? '',
      timezone: text('timezone') ?? '',
      rrule: text('rrule') ?? '',
      startsAt: text('startsAt'),
      until: text('until'),
      count: count === undefined ? undefined : Number(count),
      callingWindow: text('callingWindow'),
    };
    this.busy.set(true);
    const result = await this.service.create(body);
    this.busy.set(false);
    if (isProblem(result)) {
      this.problem.set(result);
      return;
    }
    this.problem.set(null);
    await this.router.navigate(['/series', result.id]);
  }

  protected fieldError(field: string): string | null {
    return this.problem()?.fields[field]?.join(' ') ?? null;
  }
}
