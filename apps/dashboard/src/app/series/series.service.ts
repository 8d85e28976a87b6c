import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { OccurrenceView, SeriesView } from '@call-scheduler/domain/series-view';
import { toApiProblem, type ApiProblem } from '../shared/api-error';

export interface NewSeries {
  phoneNumber: string;
  timezone: string;
  rrule: string;
  startsAt?: string;
  until?: string;
  count?: number;
  callingWindow?: string;
}

/** /api/series: list, create, one series, its occurrences, pause / resume / end. */
@Injectable({ providedIn: 'root' })
export class SeriesService {
  private readonly http = inject(HttpClient);

  list(): Promise<SeriesView[]> {
    return firstValueFrom(this.http.get<SeriesView[]>('/api/series'));
  }

  get(id: string): Promise<SeriesView> {
    return firstValueFrom(this.http.get<SeriesView>(`/api/series/${encodeURIComponent(id)}`));
  }

  async occurrences(id: string, limit = 20): Promise<OccurrenceView[]> {
    return (await firstValueFrom(this.http.get<{ items: OccurrenceView[] }>(`/api/series/${encodeURIComponent(id)}/occurrences?limit=${limit}`))).items;
  }

  /** The new series, or the problem (field errors for the form). */
  async create(body: NewSeries): Promise<SeriesView | ApiProblem> {
    return this.attempt(() => this.http.post<SeriesView>('/api/series', body));
  }

  /** pause, resume or end: the series as it is now, or the problem. */
  async act(id: string, action: 'pause' | 'resume' | 'end'): Promise<SeriesView | ApiProblem> {
    const path = `/api/series/${encodeURIComponent(id)}`;
    return this.attempt(() => (action === 'end' ? this.http.delete<SeriesView>(path) : this.http.post<SeriesView>(`${path}/${action}`, {})));
  }

  private async attempt(request: () => ReturnType<HttpClient['get']>): Promise<SeriesView | ApiProblem> {
    try {
      return (await firstValueFrom(request())) as SeriesView;
    } catch (error) {
      return toApiProblem(error);
    }
  }
}

export function isProblem(value: SeriesView | ApiProblem): value is ApiProblem {
  return 'status' in value && typeof value.status === 'number';
}
