import { CallRegistry } from './call-registry.js';
import { nowMicros } from './local-timestamp.js';
import { applyBehaviourPatch, behaviourOf, CALL_OUTCOMES, DEFAULT_BEHAVIOUR, type CallOutcome, type MockBehaviour } from './mock-options.js';
import { seededRandom, type RandomSource } from '#testing/random';

/** What the admin API can see and change: the behaviour, the random source and the calls. */
export class MockState {
  readonly registry: CallRegistry;
  private current: MockBehaviour;
  private random: RandomSource;

  constructor(behaviour: Partial<MockBehaviour> = {}, clock: () => number = nowMicros) {
    this.registry = new CallRegistry(clock);
    this.current = applyBehaviourPatch(DEFAULT_BEHAVIOUR, behaviourOf({ ...DEFAULT_BEHAVIOUR, ...behaviour }));
    this.random = seededRandom(this.current.seed);
    this.registry.forgetAfterMs = this.current.forgetAfterMs;
  }

  get behaviour(): MockBehaviour {
    return { ...this.current };
  }

  /** Validates and merges a patch; a `seed` in it restarts the random sequence. Throws MockOptionsError. */
  configure(patch: unknown): MockBehaviour {
    this.current = applyBehaviourPatch(this.current, patch);
    if (typeof patch === 'object' && patch !== null && Object.hasOwn(patch, 'seed')) this.random = seededRandom(this.current.seed);
    this.registry.forgetAfterMs = this.current.forgetAfterMs;
    return this.behaviour;
  }

  /** Forgets calls and counters; with a seed, the random sequence starts over too, so runs repeat. */
  reset(): void {
    this.registry.reset();
    if (this.current.seed !== null) this.random = seededRandom(this.current.seed);
  }

  /** One draw per POST /api/call decides its fault, so shares hold exactly over many requests. */
  drawFault(): number {
    return this.random();
  }

  pickOutcome(): CallOutcome {
    const mode = this.current.outcome;
    return mode === 'random' ? CALL_OUTCOMES[Math.floor(this.random() * CALL_OUTCOMES.length)] : mode;
  }
}
