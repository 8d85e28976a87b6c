import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

// Small helpers shared by the dispatch end-to-end tests (test/dispatch-*.e2e-spec.ts): talk to
// the scheduler over HTTP as a client would, and read back what it recorded.

export interface CallView {
  id: string;
  phoneNumber: string;
  scheduledAt: string;
  status: string;
  attempts: number;
  providerCallId: string | null;
  providerStatus: string | null;
  lastError: string | null;
  latenessMs: number | null;
  nextAttemptAt: string | null;
  version: number;
}

export interface LoggedEvent {
  position: number;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** Statuses after which a call needs nothing more from the dispatcher or the follower. */
export const FINAL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'cancelled', 'missed', 'untracked'];

/** The n-th of up to 10,000 distinct numbers that libphonenumber accepts (+1 415 555 0000 … 9999). */
export function phoneNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new Error(`no test phone number #${n}`);
  return `+1415555${String(n).padStart(4, '0')}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined; throws with `describe()` on timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100, describe }: { timeoutMs: number; intervalMs?: number; describe: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(intervalMs);
  }
}

// node:http with keep-alive: several times cheaper per request than fetch, which matters when a
// test schedules a thousand calls against a deadline.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POST a JSON body over node:http; resolves with the status and the parsed JSON answer. */
// The caller names the body's expected shape: a cast, as with fetch's json().
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const target = new URL(url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
          } catch {
            reject(new Error(`POST ${url} answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** POST /api/calls and return the 201 view; throws with the answer on anything else. */
export async function scheduleCall(baseUrl: string, body: { phoneNumber: string; scheduledAt?: string }): Promise<CallView> {
  const res = await postJson<CallView>(`${baseUrl}/api/calls`, body);
  if (res.status !== 201) throw new Error(`POST /api/calls answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Schedules every body with `concurrency` requests in flight; returns the views in input order. */
export async function scheduleMany(baseUrl: string, bodies: { phoneNumber: string; scheduledAt?: string }[], concurrency = 16): Promise<CallView[]> {
  const views: CallView[] = new Array(bodies.length);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      views[i] = await scheduleCall(baseUrl, bodies[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  return views;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every call in one list (pending or history), following nextCursor to the end. */
export async function listAll(baseUrl: string, list: 'pending' | 'history'): Promise<CallView[]> {
  const out: CallView[] = [];
  let cursor: string | null = null;
  do {
    const query = `limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: CallView[]; nextCursor: string | null } = await getJson(`${baseUrl}/api/calls/${list}?${query}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every call the scheduler knows, pending and not. */
export async function allCalls(baseUrl: string): Promise<CallView[]> {
  return [...(await listAll(baseUrl, 'pending')), ...(await listAll(baseUrl, 'history'))];
}

/** The whole global log, streamed as NDJSON. */
export async function allEvents(baseUrl: string): Promise<LoggedEvent[]> {
  const res = await fetch(`${baseUrl}/api/events`, { headers: { accept: 'application/x-ndjson' } });
  if (!res.ok) throw new Error(`GET /api/events answered ${res.status}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedEvent);
}

/** The log grouped per call, each stream oldest first. */
export function byStream(events: LoggedEvent[]): Map<string, LoggedEvent[]> {
  const streams = new Map<string, LoggedEvent[]>();
  for (const event of events) {
    const stream = streams.get(event.streamId) ?? [];
    stream.push(event);
    streams.set(event.streamId, stream);
  }
  for (const stream of streams.values()) stream.sort((a, b) => a.version - b.version);
  return streams;
}

/** How many calls are in each status: a readable line for timeout messages. */
export function statusCounts(calls: CallView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.status] = (counts[call.status] ?? 0) + 1;
  return counts;
}

/**
 * Checks one call's stream against "never dialled twice": a new attempt may only follow an attempt
 * that ended in a failure recorded as certain (nothing placed), or, towards an idempotent provider,
 * an uncertain one retried with the same key. Returns what is wrong, or null.
 */
export function attemptViolation(stream: LoggedEvent[], idempotentProvider: boolean): string | null {
  let open: LoggedEvent | null = null; // the attempt whose answer is not on record yet
  let lastOutcome: LoggedEvent | null = null;
  let uncertainKey: string | null = null;
  for (const event of stream) {
    if (event.type === 'CallDispatchStarted') {
      if (open) return `attempt ${String(event.data.attempt)} started while attempt ${String(open.data.attempt)} had no answer on record`;
      if (lastOutcome && lastOutcome.type !== 'CallDispatchFailed' && lastOutcome.type !== 'CallDispatchDeferred') {
        return `attempt ${String(event.data.attempt)} started after ${lastOutcome.type}`;
      }
      if (lastOutcome && lastOutcome.data.certain !== true && !idempotentProvider) {
        return `attempt ${String(event.data.attempt)} retried an uncertain failure`;
      }
      // Once an attempt may have reached the provider, every later one must carry its key.
      if (uncertainKey !== null && event.data.idempotencyKey !== uncertainKey) {
        return `attempt ${String(event.data.attempt)} used key ${String(event.data.idempotencyKey)}, not ${uncertainKey} of the uncertain attempt`;
      }
      open = event;
    } else if (event.type === 'CallRescheduled' && event.data.reason === 'dispatch-anyway') {
      // An operator chose to dial again after an unknown outcome: a new, deliberate attempt.
      lastOutcome = null;
      uncertainKey = null;
    } else if (event.type === 'CallDispatchDeferred') {
      // The Call API was unreachable: nothing placed, the same attempt (and key) goes again.
      open = null;
      lastOutcome = { ...event, data: { ...event.data, certain: true } };
    } else if (['CallDispatched', 'CallDispatchFailed', 'CallOutcomeUnknown', 'CallMissed'].includes(event.type)) {
      if (event.type === 'CallDispatchFailed' && event.data.certain !== true && open) uncertainKey ??= String(open.data.idempotencyKey);
      if (event.type !== 'CallMissed') open = null;
      lastOutcome = event;
    }
  }
  return null;
}

/** Deletes the temporary SQLite directory startScheduler made for a test (never anything else). */
export function removeTempDatabase(databaseUrl: string | undefined): void {
  if (!databaseUrl?.startsWith('sqlite:')) return;
  const dir = dirname(databaseUrl.slice('sqlite:'.length));
  if (dirname(dir) === tmpdir() && basename(dir).startsWith('cs-e2e-')) rmSync(join(dir), { recursive: true, force: true });
}
