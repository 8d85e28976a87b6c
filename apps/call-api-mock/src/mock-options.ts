// Options of the stand-in: read once from the environment at start-up, and patchable at run time
// through POST /__mock/config. Both paths share one validator per option, so a value accepted from
// MOCK_FAIL_RATE is exactly a value accepted as {"failRate": ...}.

/** How a call the provider could place ends. */
export const CALL_OUTCOMES = ['completed', 'busy', 'no-answer', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const OUTCOME_MODES = [...CALL_OUTCOMES, 'random'] as const;
export type OutcomeMode = (typeof OUTCOME_MODES)[number];

/** Behaviour that can change while the server runs. */
export interface MockBehaviour {
  latencyMs: number;
  failRate: number;
  failStatus: number;
  failAfterDialRate: number;
  hangRate: number;
  outcome: OutcomeMode;
  timeScale: number;
  idempotent: boolean;
  forgetAfterMs: number | null;
  seed: number | null;
}

/** Everything main.ts needs: where to listen, plus the behaviour. */
export interface MockOptions extends MockBehaviour {
  port: number;
  host: string;
}

/** The defaults make the stand-in answer exactly like the real Call API. */
export const DEFAULT_BEHAVIOUR: Readonly<MockBehaviour> = Object.freeze({
  latencyMs: 0,
  failRate: 0,
  failStatus: 503,
  failAfterDialRate: 0,
  hangRate: 0,
  outcome: 'completed',
  timeScale: 1,
  idempotent: false,
  forgetAfterMs: null,
  seed: null,
});

export const DEFAULT_OPTIONS: Readonly<MockOptions> = Object.freeze({ ...DEFAULT_BEHAVIOUR, port: 5000, host: '127.0.0.1' });

/** Thrown with every problem found, so one run shows all the bad variables or keys at once. */
export class MockOptionsError extends Error {
  constructor(
    readonly problems: string[],
    readonly invalidKeys: string[],
  ) {
    super(`invalid call-api-mock options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'MockOptionsError';
  }
}

type Kind = 'number' | 'boolean' | 'string';
interface Spec {
  env: string;
  kind: Kind;
  // Returns the reason the value is wrong, or null when it is fine.
  check: (value: unknown) => string | null;
}

const integer = (min: number, max: number) => (v: unknown) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be an integer from ${min} to ${max}`;
const share = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be a number from 0 to 1');
const nullable = (inner: (v: unknown) => string | null) => (v: unknown) => {
  const reason = v === null ? null : inner(v);
  return reason === null ? null : `${reason}, or null`;
};

const BEHAVIOUR_SPECS: Record<keyof MockBehaviour, Spec> = {
  latencyMs: { env: 'MOCK_LATENCY_MS', kind: 'number', check: integer(0, 600_000) },
  failRate: { env: 'MOCK_FAIL_RATE', kind: 'number', check: share },
  failStatus: { env: 'MOCK_FAIL_STATUS', kind: 'number', check: integer(400, 599) },
  failAfterDialRate: { env: 'MOCK_FAIL_AFTER_DIAL_RATE', kind: 'number', check: share },
  hangRate: { env: 'MOCK_HANG_RATE', kind: 'number', check: share },
  outcome: {
    env: 'MOCK_OUTCOME',
    kind: 'string',
    check: (v) => ((OUTCOME_MODES as readonly unknown[]).includes(v) ? null : `must be one of ${OUTCOME_MODES.join(', ')}`),
  },
  timeScale: {
    env: 'MOCK_TIME_SCALE',
    kind: 'number',
    check: (v) => (typeof v === 'number' && v >= 0 && v <= 1000 ? null : 'must be a number from 0 to 1000'),
  },
  idempotent: { env: 'MOCK_IDEMPOTENT', kind: 'boolean', check: (v) => (typeof v === 'boolean' ? null : 'must be true or false') },
  forgetAfterMs: { env: 'MOCK_FORGET_AFTER_MS', kind: 'number', check: nullable(integer(1, 2 ** 31)) },
  seed: { env: 'MOCK_SEED', kind: 'number', check: nullable(integer(0, 2 ** 32 - 1)) },
};

const START_SPECS: Record<'port' | 'host', Spec> = {
  port: { env: 'MOCK_PORT', kind: 'number', check: integer(0, 65_535) },
  host: { env: 'MOCK_HOST', kind: 'string', check: (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'must not be empty') },
};

const ALL_SPECS: Record<keyof MockOptions, Spec> = { ...BEHAVIOUR_SPECS, ...START_SPECS };

/** Reads MOCK_* variables; unset or empty means the default. Throws naming every bad or unknown variable. */
export function parseMockOptions(env: NodeJS.ProcessEnv = process.env): MockOptions {
  const options: MockOptions = { ...DEFAULT_OPTIONS };
  const problems: string[] = [];
  const invalid: string[] = [];
  const known = new Set(Object.values(ALL_SPECS).map((s) => s.env));

  for (const [key, spec] of Object.entries(ALL_SPECS) as [keyof MockOptions, Spec][]) {
    const raw = env[spec.env];
    if (raw === undefined || raw.trim() === '') continue;
    const value = fromEnvString(raw.trim(), spec.kind);
    const reason = spec.check(value);
    if (reason !== null) {
      problems.push(`${spec.env}=${JSON.stringify(raw)} ${reason}`);
      invalid.push(spec.env);
    } else {
      (options as unknown as Record<string, unknown>)[key] = value;
    }
  }
  // A misspelt variable would otherwise be ignored silently and the test would run the default.
  for (const name of Object.keys(env)) {
    if (name.startsWith('MOCK_') && !known.has(name)) {
      problems.push(`${name} is not a call-api-mock option (known: ${[...known].join(', ')})`);
      invalid.push(name);
    }
  }
  checkShares(options, 'env', problems, invalid);
  if (problems.length > 0) throw new MockOptionsError(problems, invalid);
  return options;
}

/** Merges a JSON patch (camelCase keys) into the behaviour. Throws naming every bad or unknown key. */
export function applyBehaviourPatch(current: MockBehaviour, patch: unknown): MockBehaviour {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new MockOptionsError(['the body must be a JSON object of options'], []);
  }
  const next: MockBehaviour = { ...current };
  const problems: string[] = [];
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const spec = Object.hasOwn(BEHAVIOUR_SPECS, key) ? BEHAVIOUR_SPECS[key as keyof MockBehaviour] : undefined;
    const reason = spec ? spec.check(value) : `is not an option (known: ${Object.keys(BEHAVIOUR_SPECS).join(', ')})`;
    if (reason !== null) {
      problems.push(`${key} ${reason}`);
      invalid.push(key);
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  checkShares(next, 'json', problems, invalid);
  if (problems.length > 0) throw new MockOptionsError(problems, invalid);
  return next;
}

/** Picks the behaviour part of the options (what GET /__mock/config shows). */
export function behaviourOf(options: MockBehaviour): MockBehaviour {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(BEHAVIOUR_SPECS)) out[key] = (options as unknown as Record<string, unknown>)[key];
  return out as unknown as MockBehaviour;
}

// One draw decides each POST's fate, so the three fault shares must fit in one whole.
function checkShares(b: MockBehaviour, naming: 'env' | 'json', problems: string[], invalid: string[]): void {
  const keys = ['failRate', 'failAfterDialRate', 'hangRate'] as const;
  if (keys.some((k) => BEHAVIOUR_SPECS[k].check(b[k]) !== null)) return;
  if (b.failRate + b.failAfterDialRate + b.hangRate > 1 + 1e-9) {
    const names = keys.map((k) => (naming === 'env' ? BEHAVIOUR_SPECS[k].env : k));
    problems.push(`${names.join(' + ')} must not add up to more than 1`);
    invalid.push(...names);
  }
}

function fromEnvString(raw: string, kind: Kind): unknown {
  if (kind === 'string') return raw;
  if (kind === 'boolean') {
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return raw;
  }
  if (raw.toLowerCase() === 'null') return null;
  const n = Number(raw);
  return Number.isNaN(n) ? raw : n;
}
