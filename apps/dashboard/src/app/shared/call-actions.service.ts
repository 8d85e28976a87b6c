import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { CallView } from '@call-scheduler/domain/call-view';

/**
 * The commands an operator can give a call that exists: reschedule, dial now, cancel. Used by
 * Pending and Call detail; the resulting change reaches every view through the live feed.
 */
@Injectable({ providedIn: 'root' })
export class CallActionsService {
  private readonly http = inject(HttpClient);

  reschedule(id: string, scheduledAt: string): Promise<CallView> {
    return firstValueFrom(this.http.patch<CallView>(`/api/calls/${encodeURIComponent(id)}`, { scheduledAt }));
  }

  dispatchNow(id: string): Promise<CallView> {
    return firstValueFrom(this.http.post<CallView>(`/api/calls/${encodeURIComponent(id)}/dispatch`, {}));
  }

  cancel(id: string): Promise<CallView | null> {
    return firstValueFrom(this.http.delete<CallView | null>(`/api/calls/${encodeURIComponent(id)}`));
  }
}

/** True when `incoming` is at least as new as `current` (views carry the stream version). */
export function isNewer(incoming: CallView, current: CallView | undefined): boolean {
  return !current || incoming.version >= current.version;
}

/** A call view from an HTTP answer, when the answer carries one (DELETE may answer 204). */
export function asCallView(body: unknown): CallView | null {
  return body && typeof body === 'object' && 'id' in body && 'version' in body ? (body as CallView) : null;
}
