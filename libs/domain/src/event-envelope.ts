// What every stream family (calls, the Call API, series) shares: the shape of an event and the
// run-time list of its types.

/** An event of one family, as its decider returns it: what happened (`type`, its payload `data`) and when (the decider's `now`). */
export type DomainEventOf<DataMap> = {
  [K in keyof DataMap]: { type: K; data: DataMap[K]; occurredAt: string };
}[keyof DataMap];

/**
 * A family's event types at run time (replay and audit refuse types they do not know), read from its
 * schema versions: the compiler makes that record name every type of the family exactly once, which a
 * list written out again could miss.
 */
export function eventTypesOf<T extends string>(versions: Readonly<Record<T, number>>): readonly T[] {
  return Object.keys(versions) as T[];
}
