import type { EntityManager } from 'typeorm';
import { decide, DEFAULT_POLICY, DomainError, evolve, initialState, SCHEMA_VERSIONS, type CallState } from '#domain';
import {
  appendEventRows,
  GENESIS_HASH,
  lastPosition,
  LIVE_TABLE,
  projectionColumns,
  readHead,
  upsertViewRows,
  type Database,
  type EventDraft,
  type EventMetadata,
  type LogHead,
  type ProjectionColumns,
} from '#persistence';
import { nextStep, phoneNumberPool, type CallScript, type Step } from './call-lifecycle.js';
import { MinHeap } from './min-heap.js';
import { SeededRandom } from './seeded-random.js';

export interface GenerateOptions {
  // Stop after this many calls have been scheduled and played out (calls parked days ahead stay pending)…
  calls?: number;
  // …or after exactly this many events (calls still in flight then stay as they are, like a live system).
  events?: number;
  seed?: number;
  // Simulated time of the first call; default: far enough back that the log ends around now.
  start?: Date;
  // Mean time between two new calls (simulated).
  meanArrivalMs?: number;
  // Events per write transaction.
  batchEvents?: number;
  onProgress?: (events: number) => void;
}

export interface GenerateReport {
  calls: number;
  events: number;
  headPosition: number;
  headHash: string;
  // Commands the decider refused (should be 0: the script only asks for legal transitions).
  rejected: number;
  byStatus: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
}

interface SimCall {
  state: CallState;
  script: CallScript;
  step: Step | null;
  lastEventId: string | null;
}

// Tail of the simulation after the last new call: long enough for every lifecycle to play out.
const DRAIN_MS = 4 * 3_600_000;

/**
 * Fills the database with realistic calls: each call's commands go through the domain decider and
 * evolve (the same path as the service), so events, hash chain and call_views rows are exactly what
 * the service would have written. Simulated time runs in order across all calls, so positions
 * follow occurredAt. Writes in large transactions under the append lock, continuing the existing
 * chain, so it can also add to a log that is in use.
 */
export async function generateCalls(db: Database, options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const maxCalls = options.calls ?? Infinity;
  const maxEvents = options.events ?? Infinity;
  if (!Number.isFinite(maxCalls) && !Number.isFinite(maxEvents)) throw new Error('generate needs a number of calls or events');
  // Appending to a log that has events: vary the seed with its length, so ids never repeat.
  const existing = await lastPosition(db);
  const random = new SeededRandom(((options.seed ?? 1) ^ Math.imul(existing, 0x9e3779b1)) >>> 0);
  const phoneNumbers = phoneNumberPool(random);
  const meanArrivalMs = options.meanArrivalMs ?? 400;
  const batchEvents = options.batchEvents ?? 20_000;
  const expectedCalls = Number.isFinite(maxCalls) ? maxCalls : Math.ceil(maxEvents / 6);
  const start = options.start?.getTime() ?? Math.floor((Date.now() - expectedCalls * meanArrivalMs - DRAIN_MS) / 1000) * 1000;
  const cols = projectionColumns(db.dataSource);

  const queue = new MinHeap<SimCall>();
  let rows: EventDraft[] = [];
  let touched = new Map<string, CallState>();
  const byStatus: Record<string, number> = {};
  let created = 0;
  let events = 0;
  let rejected = 0;
  let nextArrival = start;
  let lastArrival = start;
  let head: LogHead = { position: 0, hash: GENESIS_HASH };

  const flush = async () => {
    if (rows.length === 0 && touched.size === 0) return;
    const batch = rows;
    const states = touched;
    rows = [];
    touched = new Map();
    head = await db.write((m) => writeBatch(m, cols, batch, states.values()));
    options.onProgress?.(events);
  };

  // Returns false when the decider refused the command: the script then leaves the call as it is.
  const run = (call: SimCall, step: Step): boolean => {
    let decided;
    try {
      decided = decide(step.command, call.state, new Date(step.at), DEFAULT_POLICY, step.random);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      rejected += 1;
      return false;
    }
    const metadata: EventMetadata = call.lastEventId
      ? { causationId: call.lastEventId, actor: step.actor, correlationId: call.state.id }
      : { actor: step.actor, correlationId: call.state.id };
    if (step.actor === 'api') metadata.requestId = random.uuid();
    const metadataText = JSON.stringify(metadata);
    for (const event of decided) {
      if (events >= maxEvents) break;
      call.state = evolve(call.state, event);
      call.lastEventId = random.uuid();
      rows.push({
        eventId: call.lastEventId,
        streamId: call.state.id,
        version: call.state.version,
        type: event.type,
        schemaVersion: SCHEMA_VERSIONS[event.type],
        data: JSON.stringify(event.data),
        metadata: metadataText,
        occurredAt: event.occurredAt,
      });
      events += 1;
    }
    if (call.state.version > 0) touched.set(call.state.id, call.state);
    return true;
  };

  while (events < maxEvents) {
    const arrival = created < maxCalls ? nextArrival : Infinity;
    if (arrival === Infinity && queue.size === 0) break;
    // All calls are in and what is left lies beyond the end of the simulation (calls parked days ahead).
    if (arrival === Infinity && queue.peekKey() > lastArrival + DRAIN_MS) break;
    // The queued call due first, unless a new call arrives before it (or nothing is queued).
    let call = arrival <= queue.peekKey() ? undefined : queue.pop();
    if (!call) {
      call = { state: initialState(random.uuid()), script: { reschedules: 0, parked: false }, step: null, lastEventId: null };
      call.step = nextStep(call.state, call.script, arrival, random, phoneNumbers);
      created += 1;
      lastArrival = arrival;
      nextArrival = arrival + Math.max(1, Math.round(-Math.log(1 - random.next()) * meanArrivalMs));
    }
    // Only calls with a next step are queued, and a new call always has one.
    const step = call.step;
    if (step) call.step = run(call, step) ? nextStep(call.state, call.script, step.at, random, phoneNumbers) : null;
    if (call.step) queue.push(call.step.at, call);
    else count(byStatus, call.state);
    if (rows.length >= batchEvents) await flush();
  }
  for (const call of queue.values()) count(byStatus, call.state);
  await flush();

  const seconds = (performance.now() - started) / 1000;
  return {
    calls: created,
    events,
    headPosition: head.position,
    headHash: head.hash,
    rejected,
    byStatus,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
  };
}

function count(byStatus: Record<string, number>, state: CallState): void {
  if (state.version === 0) return;
  byStatus[state.status] = (byStatus[state.status] ?? 0) + 1;
}

/** One transaction, through the event store's own writer: chain and insert the batch, upsert the calls it touched. */
async function writeBatch(m: EntityManager, cols: ProjectionColumns, batch: readonly EventDraft[], states: Iterable<CallState>): Promise<LogHead> {
  const rows = await appendEventRows(m, batch);
  await upsertViewRows(m, LIVE_TABLE, cols, states);
  // A batch of projection rows only (the event budget ran out mid-call) leaves the head where it was.
  const last = rows.at(-1) ?? (await readHead(m));
  return last ? { position: last.position, hash: last.hash } : { position: 0, hash: GENESIS_HASH };
}
