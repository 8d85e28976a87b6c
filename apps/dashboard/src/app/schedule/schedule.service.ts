import { HttpClient, HttpHeaders } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { CallView } from '@call-scheduler/domain/call-view';

export interface ScheduleRequest {
  phoneNumber: string;
  /** ISO-8601 with offset, or a local date-time in `timezone`; omitted = call now. */
  scheduledAt?: string;
  timezone?: string;
  /** "Mon-Sat 08:00-21:00", "any"; omitted = the server's CALLING_WINDOW. */
  callingWindow?: string;
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** POST /api/calls. Each submission carries its own Idempotency-Key, so a retried request cannot book twice. */
@Injectable({ providedIn: 'root' })
export class ScheduleService {
  private readonly http = inject(HttpClient);
  private readonly lastScheduledSignal = signal<CallView | null>(null);
  readonly lastScheduled = this.lastScheduledSignal.asReadonly();

  async schedule(request: ScheduleRequest, idempotencyKey: string = newKey()): Promise<CallView> {
    const headers = new HttpHeaders({ 'Idempotency-Key': idempotencyKey });
    const call = await firstValueFrom(this.http.post<CallView>('/api/calls', request, { headers }));
    this.lastScheduledSignal.set(call);
    return call;
  }

  clear(): void {
    this.lastScheduledSignal.set(null);
  }
}
