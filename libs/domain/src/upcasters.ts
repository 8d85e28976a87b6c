import type { CallApiEventType } from './call-api-events.js';
import { SCHEMA_VERSIONS, type CallEventType } from './events.js';

/** An event payload as stored: plain JSON. */
export type EventPayload = Record<string, unknown>;

/** Lifts a payload from one schema version to the next. Pure: returns a new object, never mutates. */
export type Upcaster = (data: Readonly<EventPayload>) => EventPayload;

export interface Upcast {
  schemaVersion: number;
  data: EventPayload;
}

/**
 * The registry: UPCASTERS[type][fromVersion] lifts a payload from `fromVersion` to `fromVersion + 1`.
 * Every version below SCHEMA_VERSIONS[type] needs an entry (a unit test checks the chain is complete).
 */
export const UPCASTERS: Readonly<Partial<Record<CallEventType | CallApiEventType, Readonly<Record<number, Upcaster>>>>> = {
  CallScheduled: {
    // v1 had no timezone. Rows written before the version bump may already carry one: keep it.
    1: (data) => ({ ...data, timezone: typeof data.timezone === 'string' ? data.timezone : null }),
    // v2 had no deadline: the misfire grace after scheduledAt applies (null = "by the policy").
    2: (data) => ({ ...data, deadline: typeof data.deadline === 'string' ? data.deadline : null }),
    // v3 had no calling window: such calls ring at any time, as they did when they were scheduled.
    3: (data) => ({ ...data, callingWindow: null }),
  },
  CallRescheduled: {
    // v1 moved scheduledAt itself, also for "dial now": the call was due when it said.
    1: (data) => ({ ...data, dueAt: data.scheduledAt, deadline: null }),
    // v2 could not change the zone or the window: without those fields it says "unchanged" already.
    2: (data) => ({ ...data }),
  },
};

/** A stored version with no upcaster to the next one: the registry is incomplete. */
export class MissingUpcasterError extends Error {
  constructor(
    readonly eventType: string,
    readonly fromVersion: number,
  ) {
    super(`no upcaster for ${eventType} from schema version ${fromVersion}`);
    this.name = 'MissingUpcasterError';
  }
}

/**
 * Lifts a stored payload of `type` at `schemaVersion` to the version the code reads today, one
 * step at a time. Unknown types, and versions newer than this code knows, come back as stored.
 */
export function upcast(type: string, schemaVersion: number, data: EventPayload): Upcast {
  const target = (SCHEMA_VERSIONS as Readonly<Record<string, number | undefined>>)[type];
  if (target === undefined) return { schemaVersion, data };
  const steps = (UPCASTERS as Readonly<Record<string, Readonly<Record<number, Upcaster>> | undefined>>)[type];
  let version = schemaVersion;
  let payload = data;
  while (version < target) {
    const step = steps?.[version];
    if (!step) throw new MissingUpcasterError(type, version);
    payload = step(payload);
    version += 1;
  }
  return { schemaVersion: version, data: payload };
}
