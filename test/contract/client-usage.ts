// Every route, used the way the README shows it, through a client generated from the OpenAPI
// document (openapi-typescript → generated/api.d.ts, openapi-fetch). `npm run test:contract`
// type-checks this file: if the document makes a README example impossible (a required DELETE
// body, an untyped field, a missing error shape), this stops compiling. It is never run.
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api.js';

type CallView = components['schemas']['CallViewDto'];
type ApiError = components['schemas']['ErrorDto'];

// JSON answers are what `data` is typed as; the CSV and stream answers are read with parseAs.
const api = createClient<paths, 'application/json'>({
  baseUrl: 'http://localhost:3000',
  headers: { Authorization: 'Bearer cs_live_example', 'X-Request-Id': 'readme-1' },
});

export async function readmeWalkthrough(): Promise<void> {
  // schedule a call 5 seconds from now; idempotent with a key
  const scheduled = await api.POST('/api/calls', {
    body: { phoneNumber: '+1 415 555 0100', scheduledAt: new Date(Date.now() + 5000).toISOString(), timezone: 'America/Los_Angeles' },
    params: { header: { 'Idempotency-Key': 'order-42' } },
  });
  if (scheduled.error) return failed(scheduled.error);
  const call: CallView = scheduled.data;
  const id: string = call.id;
  const status: 'pending' | CallView['status'] = call.status;
  const deadline: string | null = call.deadline;

  // pending (soonest first) and history (latest change first), with paging
  const pending = await api.GET('/api/calls/pending', { params: { query: { limit: 50 } } });
  const next: string | null | undefined = pending.data?.nextCursor;
  await api.GET('/api/calls/pending', { params: { query: { cursor: next ?? undefined } } });
  const history = await api.GET('/api/calls/history', { params: { query: { status: 'completed', phoneNumber: '+14155550100' } } });
  const ended: CallView[] = history.data?.items ?? [];
  // several statuses or a group; part of a number, international or national format
  await api.GET('/api/calls/history', { params: { query: { status: 'completed,failed' } } });
  await api.GET('/api/calls/history', { params: { query: { status: 'in-progress', phone: '020 7946' } } });
  await api.GET('/api/calls/pending', { params: { query: { phone: '+44 20 7946' } } });

  // the callee's local time, read in their zone, and their calling window
  const local = await api.POST('/api/calls', {
    body: { phoneNumber: '+44 20 7946 0958', scheduledAt: '2026-12-01T09:30', timezone: 'Europe/London', callingWindow: 'Mon-Sat 08:00-21:00' },
  });
  const window: string | null | undefined = local.data?.callingWindow;
  const waitsUntil: string | null | undefined = local.data?.windowOpensAt;
  const talked: number | null | undefined = local.data?.duration;

  // one call, now and as it was; its audit trail
  await api.GET('/api/calls/{id}', { params: { path: { id } } });
  await api.GET('/api/calls/{id}', { params: { path: { id }, query: { asOf: '2026-11-22T10:00:00Z' } } });
  const events = await api.GET('/api/calls/{id}/events', { params: { path: { id } } });
  const requestId: unknown = events.data?.[0]?.metadata.requestId;

  // reschedule, dial now, cancel (no body, or a reason), retry (no body, {} or a time), bulk retry
  await api.PATCH('/api/calls/{id}', { params: { path: { id } }, body: { scheduledAt: '2026-12-01T09:00:00+01:00' } });
  const dialled = await api.POST('/api/calls/{id}/dispatch', { params: { path: { id } } });
  const dialStatus: CallView['status'] | undefined = dialled.data?.status;
  await api.DELETE('/api/calls/{id}', { params: { path: { id } } });
  const cancelled = await api.DELETE('/api/calls/{id}', { params: { path: { id } }, body: { reason: 'customer asked to be called another day' } });
  if (cancelled.error) {
    const code: string | undefined = cancelled.error.code;
    const message: string = cancelled.error.message;
  }
  await api.POST('/api/calls/{id}/retry', { params: { path: { id } } });
  await api.POST('/api/calls/{id}/retry', { params: { path: { id } }, body: {} });
  await api.POST('/api/calls/{id}/retry', { params: { path: { id } }, body: { at: '2026-12-02T09:00:00+01:00' } });
  const bulk = await api.POST('/api/calls/retry', { body: { status: ['failed', 'missed'], since: '2026-12-01T00:00:00Z' } });
  const count: number | undefined = bulk.data?.count;

  // bulk import from a CSV file (a dry run first, then for real), and the history as CSV
  const file = 'phoneNumber,scheduledAt,timezone,callingWindow,reference\n+14155550100,2027-03-10 09:00,America/New_York,,patient-0001\n';
  const csv = { body: file, bodySerializer: (text: string) => text, headers: { 'Content-Type': 'text/csv' } };
  const checked = await api.POST('/api/calls/import', { params: { query: { dryRun: true, mode: 'accept-valid' } }, ...csv });
  const rowErrors: { row: number; field: string; message: string }[] = checked.data?.errors ?? [];
  const imported = await api.POST('/api/calls/import', { params: { query: { mode: 'all-or-nothing' } }, ...csv });
  const created: number | undefined = imported.data?.created;
  await api.GET('/api/calls/history', { params: { query: { status: 'completed', format: 'csv' } }, parseAs: 'text' });

  // the overview's figures: counts per status and recent lateness, typed
  const stats = await api.GET('/api/calls/stats');
  const lateness: number[] = stats.data?.recentLateness.map((sample) => sample.latenessMs) ?? [];
  const dispatchedAt: string[] = stats.data?.recentLateness.map((sample) => sample.dispatchedAt) ?? [];
  const completed: number | undefined = stats.data?.counts.completed;

  // the global log, a page at a time; all of it as NDJSON; the live stream
  const page = await api.GET('/api/events', { params: { query: { after: 0, limit: 100 } } });
  const positions: number[] = page.data?.map((event) => event.position) ?? [];
  await api.GET('/api/events', { headers: { Accept: 'application/x-ndjson' }, parseAs: 'stream' });
  await api.GET('/api/stream', { params: { header: { 'Last-Event-ID': '42' } }, parseAs: 'stream' });
  await api.GET('/api/stream', { params: { query: { lastEventId: 42 } }, parseAs: 'stream' });

  // audit, health, metrics
  const verified = await api.GET('/api/audit/verify', { params: { query: { anchor: '1200:abc' } } });
  const intact: boolean | undefined = verified.data?.ok;
  const head: string | undefined = verified.data?.headHash;
  const health = await api.GET('/health');
  const healthStatus: 'ok' | 'degraded' | 'error' | undefined = health.data?.status;
  await api.GET('/metrics', { parseAs: 'text' });

  void [
    status,
    deadline,
    ended,
    window,
    waitsUntil,
    talked,
    requestId,
    dialStatus,
    count,
    rowErrors,
    created,
    lateness,
    dispatchedAt,
    completed,
    positions,
    intact,
    head,
    healthStatus,
  ];
}

function failed(error: ApiError): void {
  const fields: Record<string, string[]> | undefined = error.fields;
  console.error(error.statusCode, error.message, error.code, fields);
}
