import { evolve, initialState, type CallState } from './call-state.js';
import { DomainError, DomainErrorCode } from './domain-error.js';
import type { CallEvent } from './events.js';
import { parseInstant } from './instant.js';

/**
 * The call as it stood at `instant`: folds its events, oldest first, up to the last one that
 * occurred at or before `instant`. Returns null when the call did not exist yet.
 * Folding stops at the first later event (a prefix of the stream), so a clock that stepped back
 * between two events can never produce a state the call was never in.
 * A string instant must be ISO-8601 with an offset; a bad one throws a DomainError naming `asOf`.
 */
export function stateAsOf(id: string, events: readonly CallEvent[], instant: Date | string): CallState | null {
  const limit = (typeof instant === 'string' ? parseInstant(instant, 'asOf', DomainErrorCode.InvalidAsOf) : instant).getTime();
  if (Number.isNaN(limit)) throw new DomainError(DomainErrorCode.InvalidAsOf, 'asOf is not a real date-time', 'asOf');
  let state = initialState(id);
  for (const event of events) {
    if (Date.parse(event.occurredAt) > limit) break;
    state = evolve(state, event);
  }
  return state.version === 0 ? null : state;
}
