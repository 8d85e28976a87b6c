import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import type { CallView, StoredEventView } from '@call-scheduler/domain/call-view';
import { type CallChange, LiveService } from '../live/live.service';
import { toApiProblem } from '../shared/api-error';
import { CallActionsService, asCallView, isNewer } from '../shared/call-actions.service';

/** One call and its audit trail (the event stream, oldest first), following the live feed. */
@Injectable({ providedIn: 'root' })
export class CallDetailService {
  private readonly http = inject(HttpClient);
  private readonly actions = inject(CallActionsService);

  private readonly idSignal = signal<string | null>(null);
  private readonly callSignal = signal<CallView | null>(null);
  private readonly eventsSignal = signal<StoredEventView[]>([]);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private buffered: CallChange[] = [];

  readonly id = this.idSignal.asReadonly();
  readonly call = this.callSignal.asReadonly();
  readonly events = this.eventsSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();

  constructor() {
    inject(LiveService)
      .changes.pipe(takeUntilDestroyed())
      .subscribe((change) => this.apply(change));
  }

  async load(id: string): Promise<void> {
    this.idSignal.set(id);
    this.callSignal.set(null);
    this.eventsSignal.set([]);
    this.errorSignal.set(null);
    this.loadingSignal.set(true);
    this.buffered = [];
    const path = `/api/calls/${encodeURIComponent(id)}`;
    try {
      const [call, events] = await Promise.all([
        firstValueFrom(this.http.get<CallView>(path)),
        firstValueFrom(this.http.get<StoredEventView[]>(`${path}/events`)),
      ]);
      if (this.idSignal() !== id) return;
      this.callSignal.set(call);
      this.eventsSignal.set([...events].sort((a, b) => a.version - b.version));
    } catch (err) {
      if (this.idSignal() !== id) return;
      const problem = toApiProblem(err);
      this.errorSignal.set(problem.status === 404 ? 'No call with this id.' : problem.message);
    } finally {
      if (this.idSignal() === id) {
        this.loadingSignal.set(false);
        const buffered = this.buffered;
        this.buffered = [];
        buffered.forEach((change) => this.apply(change));
      }
    }
  }

  /** Appends the change's event and takes the newer call view, for the call on screen only. */
  apply(change: CallChange): void {
    if (change.call.id !== this.idSignal()) return;
    if (this.loadingSignal()) {
      this.buffered.push(change);
      return;
    }
    if (!this.callSignal()) return;
    if (isNewer(change.call, this.callSignal() ?? undefined)) this.callSignal.set(change.call);
    const events = this.eventsSignal();
    if (!events.some((e) => e.position === change.event.position)) {
      this.eventsSignal.set([...events, change.event].sort((a, b) => a.version - b.version));
    }
  }

  async dispatchNow(): Promise<void> {
    const id = this.idSignal();
    if (id) this.takeView(await this.actions.dispatchNow(id));
  }

  async cancel(): Promise<void> {
    const id = this.idSignal();
    if (id) this.takeView(await this.actions.cancel(id));
  }

  /** Dials an ended call (failed, missed, untracked) again: now, or at `at`. */
  async retry(at?: string): Promise<void> {
    const id = this.idSignal();
    if (id) this.takeView(await this.actions.retry(id, at));
  }

  async reschedule(scheduledAt: string): Promise<void> {
    const id = this.idSignal();
    if (id) this.takeView(await this.actions.reschedule(id, scheduledAt));
  }

  private takeView(body: unknown): void {
    const view = asCallView(body);
    if (view?.id === this.idSignal() && isNewer(view, this.callSignal() ?? undefined)) this.callSignal.set(view);
  }
}
