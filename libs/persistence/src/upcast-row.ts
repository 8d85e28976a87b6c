import { upcast, type CallApiEvent, type CallEvent, type SeriesEvent, type Upcast } from '#domain';

/**
 * Lifts a stored payload to the schema version the code reads today, through the registry of
 * pure upcasters in libs/domain. Every read path (toStoredEvent, replay) goes through here.
 */
export function upcastRow(type: string, schemaVersion: number, data: Record<string, unknown>): Upcast {
  return upcast(type, schemaVersion, data);
}

/** What the domain reads of a stored event once it is upcast: its type, payload and time. */
export interface DomainEventFields {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

// A stored, upcast row as a typed domain event: the one place a row becomes one. The decider made
// its type and payload when it was written and the upcasters brought them to today's schema, so the
// type is asserted here rather than checked field by field on every read.
const fieldsOf = ({ type, data, occurredAt }: DomainEventFields) => ({ type, data, occurredAt });

/** The call event a stored row of a call stream stands for. */
export const toDomainEvent = (event: DomainEventFields): CallEvent => fieldsOf(event) as unknown as CallEvent;

/** The series event a stored row of a `series-<id>` stream stands for. */
export const toSeriesEvent = (event: DomainEventFields): SeriesEvent => fieldsOf(event) as unknown as SeriesEvent;

/** The Call API event a stored row of the `call-api` stream stands for. */
export const toCallApiEvent = (event: DomainEventFields): CallApiEvent => fieldsOf(event) as unknown as CallApiEvent;
