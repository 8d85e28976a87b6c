import { applyBehaviourPatch, DEFAULT_BEHAVIOUR, DEFAULT_OPTIONS, MockOptionsError, parseMockOptions } from './mock-options.js';

function problemsOf(run: () => unknown): MockOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof MockOptionsError) return error;
    throw error;
  }
  throw new Error('expected a MockOptionsError');
}

describe('parseMockOptions', () => {
  it('defaults to the real Call API on port 5000 of 127.0.0.1', () => {
    expect(parseMockOptions({ PATH: '/usr/bin' })).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ port: 5000, host: '127.0.0.1', failRate: 0, outcome: 'completed', timeScale: 1, idempotent: false });
  });

  it('reads every MOCK_* variable', () => {
    const options = parseMockOptions({
      MOCK_PORT: '0',
      MOCK_HOST: '0.0.0.0',
      MOCK_LATENCY_MS: '25',
      MOCK_FAIL_RATE: '0.25',
      MOCK_FAIL_STATUS: '429',
      MOCK_FAIL_AFTER_DIAL_RATE: '0.25',
      MOCK_HANG_RATE: '0.5',
      MOCK_OUTCOME: 'no-answer',
      MOCK_TIME_SCALE: '0.1',
      MOCK_IDEMPOTENT: 'true',
      MOCK_FORGET_AFTER_MS: '60000',
      MOCK_SEED: '12345',
    });
    expect(options).toEqual({
      port: 0,
      host: '0.0.0.0',
      latencyMs: 25,
      failRate: 0.25,
      failStatus: 429,
      failAfterDialRate: 0.25,
      hangRate: 0.5,
      outcome: 'no-answer',
      timeScale: 0.1,
      idempotent: true,
      forgetAfterMs: 60000,
      seed: 12345,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(parseMockOptions({ MOCK_FAIL_RATE: '', MOCK_SEED: ' ' })).toEqual(DEFAULT_OPTIONS);
  });

  it('names every bad variable at once', () => {
    const error = problemsOf(() =>
      parseMockOptions({ MOCK_PORT: 'http', MOCK_FAIL_RATE: '1.5', MOCK_OUTCOME: 'voicemail', MOCK_IDEMPOTENT: 'yes', MOCK_FAIL_STATUS: '200' }),
    );
    expect(error.invalidKeys.sort()).toEqual(['MOCK_FAIL_RATE', 'MOCK_FAIL_STATUS', 'MOCK_IDEMPOTENT', 'MOCK_OUTCOME', 'MOCK_PORT']);
    expect(error.message).toContain('MOCK_OUTCOME="voicemail" must be one of completed, busy, no-answer, failed, random');
  });

  it('refuses an unknown MOCK_ variable instead of silently ignoring a typo', () => {
    expect(problemsOf(() => parseMockOptions({ MOCK_FAIL_RAET: '1' })).invalidKeys).toEqual(['MOCK_FAIL_RAET']);
  });

  it('refuses fault shares that add up to more than one', () => {
    const error = problemsOf(() => parseMockOptions({ MOCK_FAIL_RATE: '0.6', MOCK_HANG_RATE: '0.6' }));
    expect(error.invalidKeys).toEqual(['MOCK_FAIL_RATE', 'MOCK_FAIL_AFTER_DIAL_RATE', 'MOCK_HANG_RATE']);
  });
});

describe('applyBehaviourPatch', () => {
  it('merges the given keys and keeps the others', () => {
    const next = applyBehaviourPatch(DEFAULT_BEHAVIOUR, { failRate: 1, failStatus: 500, seed: null });
    expect(next).toEqual({ ...DEFAULT_BEHAVIOUR, failRate: 1, failStatus: 500 });
  });

  it('names each unknown key and each bad value', () => {
    const error = problemsOf(() => applyBehaviourPatch(DEFAULT_BEHAVIOUR, { failRate: '1', latencyMs: -1, port: 1, outcome: 'busy' }));
    expect(error.invalidKeys.sort()).toEqual(['failRate', 'latencyMs', 'port']);
    expect(error.message).toContain('port is not an option');
  });

  it('refuses a body that is not an object', () => {
    expect(() => applyBehaviourPatch(DEFAULT_BEHAVIOUR, [])).toThrow(MockOptionsError);
    expect(() => applyBehaviourPatch(DEFAULT_BEHAVIOUR, null)).toThrow(MockOptionsError);
  });

  it('lets forgetAfterMs and seed go back to null', () => {
    const set = applyBehaviourPatch(DEFAULT_BEHAVIOUR, { forgetAfterMs: 10, seed: 1 });
    expect(applyBehaviourPatch(set, { forgetAfterMs: null, seed: null })).toEqual(DEFAULT_BEHAVIOUR);
  });
});
