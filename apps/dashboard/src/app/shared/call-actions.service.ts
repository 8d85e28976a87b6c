import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { CallView } from '@call-scheduler/domain/call-view';
import type { CallStatus } from '@call-scheduler/domain/call-status';

/** Ended calls an operator may have dialled again (POST /api/calls/:id/retry); anything else is a 409. */
export const RETRYABLE_STATUSES: readonly CallStatus[] = ['failed', 'missed', 'untracked'];
/** What History's bulk retry covers. */
export const BULK_RETRY_STATUSES: readonly CallStatus[] = ['failed', 'missed'];

export function canRetry(call: CallView | null | undefined): boolean {
  return !!call && RETRYABLE_STATUSES.includes(call.status);
}

/** When an unplaced call will be recorded missed instead of dialled (null on calls from before deadlines). */
export function deadlineOf(call: CallView): string | null {
  return call.deadline;
}

/**
 * The commands an operator can give a call that exists: reschedule, dial now, cancel, retry. Used
 * by Pending, History and Call detail; the resulting change reaches every view through the live feed.
 */
@Injectable({ providedIn: 'root' })
export class CallActionsService {
  private readonly http = inject(HttpClient);

  /**
   * The operator picks an instant on their own clock: it goes out in UTC ("…Z"), which the API
   * never reads as contradicting the callee's zone (an offset of the operator's zone would).
   */
  reschedule(id: string, scheduledAt: string): Promise<CallView> {
    return firstValueFrom(this.http.patch<CallView>(`/api/calls/${encodeURIComponent(id)}`, { scheduledAt: inUtc(scheduledAt) }));
  }

  dispatchNow(id: string): Promise<CallView> {
    return firstValueFrom(this.http.post<CallView>(`/api/calls/${encodeURIComponent(id)}/dispatch`, {}));
  }

  cancel(id: string): Promise<CallView | null> {
    return firstValueFrom(this.http.delete<CallView | null>(`/api/calls/${encodeURIComponent(id)}`));
  }

  /** Dials an ended call again: now, or at `at` (ISO-8601 with offset). The call is pending again. */
  retry(id: string, at?: string): Promise<CallView> {
    return firstValueFrom(this.http.post<CallView>(`/api/calls/${encodeURIComponent(id)}/retry`, at ? { at: inUtc(at) } : {}));
  }

  /** Dials again every call in `statuses` that ended since `since` (ISO-8601 with offset); answers how many. */
  async retryAll(statuses: readonly CallStatus[], since: string): Promise<number> {
    const body = await firstValueFrom(this.http.post<{ count: number }>('/api/calls/retry', { status: statuses, since }));
    return body.count;
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

/** An ISO instant with any offset as UTC ("2030-07-01T08:15:00+02:00" → "2030-07-01T06:15:00.000Z"). */
function inUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString();
}
