import { loadConfig, parseDuration } from './app-config.js';

// Start-up must fail loudly, naming every bad variable at once, before anything listens or dials.

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/calls.db',
      callApiUrl: 'http://localhost:5000',
      callApiTimeoutMs: 5000,
      callApiIdempotent: false,
      dispatchIntervalMs: 1000,
      seriesLeadMs: 60 * 60_000,
      dispatchConcurrency: 16,
      dispatchRate: 50,
      maxAttempts: 3,
      circuitFailureThreshold: 3,
      callApiProbeMs: 1000,
      callApiProbeMaxMs: 10_000,
      misfireGraceMs: 15 * 60_000,
      callingWindow: null,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      followIntervalMs: 1000,
      followMaxIntervalMs: 5000,
      followNotFoundLimit: 5,
      followGiveUpMs: 2 * 3_600_000,
      shutdownGraceMs: 10_000,
      sqliteSynchronous: 'NORMAL',
      authToken: null,
      allowOpenApi: false,
      rateLimitPerMinute: 6000,
      corsOrigins: [],
      dashboardDir: 'apps/dashboard/dist/dashboard/browser',
      logLevel: 'info',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', MISFIRE_GRACE: '', CALL_API_IDEMPOTENT: '', CALL_API_URL: '' })).toMatchObject({
      port: 3000,
      misfireGraceMs: 900_000,
      callApiIdempotent: false,
      callApiUrl: 'http://localhost:5000',
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db/calls',
      CALL_API_URL: 'https://calls.example.com/',
      CALL_API_TIMEOUT_MS: '1500',
      CALL_API_IDEMPOTENT: 'TRUE',
      DISPATCH_INTERVAL_MS: '250',
      DISPATCH_CONCURRENCY: '64',
      DISPATCH_RATE: '1000',
      MAX_ATTEMPTS: '5',
      MISFIRE_GRACE: '2m',
      RETRY_BASE_MS: '200',
      RETRY_MAX_MS: '5000',
      FOLLOW_INTERVAL_MS: '100',
      FOLLOW_MAX_INTERVAL_MS: '400',
      FOLLOW_NOT_FOUND_LIMIT: '2',
      SHUTDOWN_GRACE_MS: '0',
      SQLITE_SYNCHRONOUS: 'full',
      AUTH_TOKEN: 'a-shared-admin-secret-of-32-chars',
      ALLOW_OPEN_API: 'true',
      RATE_LIMIT_PER_MINUTE: '120',
      CORS_ORIGINS: 'https://ops.example.com, http://localhost:4200',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db/calls',
      // A trailing slash would make "//api/call".
      callApiUrl: 'https://calls.example.com',
      callApiTimeoutMs: 1500,
      callApiIdempotent: true,
      dispatchIntervalMs: 250,
      dispatchConcurrency: 64,
      dispatchRate: 1000,
      maxAttempts: 5,
      misfireGraceMs: 120_000,
      retryBaseMs: 200,
      retryMaxMs: 5000,
      followIntervalMs: 100,
      followMaxIntervalMs: 400,
      followNotFoundLimit: 2,
      shutdownGraceMs: 0,
      sqliteSynchronous: 'FULL',
      authToken: 'a-shared-admin-secret-of-32-chars',
      allowOpenApi: true,
      rateLimitPerMinute: 120,
      corsOrigins: ['https://ops.example.com', 'http://localhost:4200'],
    });
  });

  it('refuses a short AUTH_TOKEN and origins that are not origins, naming the variables', () => {
    const problems = problemsOf({ AUTH_TOKEN: 'e2e-secret', CORS_ORIGINS: 'https://ops.example.com/path', RATE_LIMIT_PER_MINUTE: '-1' });
    expect(problems).toContain('AUTH_TOKEN must be at least 32 characters (got 10)');
    expect(problems).toContain('CORS_ORIGINS must list origins like https://ops.example.com (got "https://ops.example.com/path")');
    expect(problems).toContain('RATE_LIMIT_PER_MINUTE must be an integer >= 0');
    expect(problems).not.toContain('e2e-secret');
  });

  it.each([
    ['CALL_API_IDEMPOTENT', '1', true],
    ['CALL_API_IDEMPOTENT', '0', false],
    ['CALL_API_IDEMPOTENT', 'False', false],
  ])('reads %s=%s as %s', (name, raw, expected) => {
    expect(loadConfig({ [name]: raw }).callApiIdempotent).toBe(expected);
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '-1'],
    ['PORT', '70000'],
    ['CALL_API_TIMEOUT_MS', '0'],
    ['CALL_API_TIMEOUT_MS', '1.5'],
    ['DISPATCH_INTERVAL_MS', '5'],
    ['DISPATCH_CONCURRENCY', '0'],
    ['DISPATCH_RATE', 'fast'],
    ['MAX_ATTEMPTS', '0'],
    ['RETRY_BASE_MS', '0'],
    ['FOLLOW_NOT_FOUND_LIMIT', '0'],
    ['SHUTDOWN_GRACE_MS', '-100'],
    ['CALL_API_IDEMPOTENT', 'yes'],
    ['MISFIRE_GRACE', '15 minutes'],
    ['MISFIRE_GRACE', '-5m'],
    ['CALL_API_URL', 'not a url'],
    ['CALL_API_URL', 'localhost:5000'],
    ['CALL_API_URL', 'ftp://calls.example.com'],
    ['DATABASE_URL', 'mysql://db/calls'],
    ['DATABASE_URL', 'sqlite:'],
    ['SQLITE_SYNCHRONOUS', 'OFF'],
    ['LOG_LEVEL', 'verbose'],
  ])('refuses %s=%j, naming it', (name, raw) => {
    expect(problemsOf({ [name]: raw })).toContain(name);
  });

  it('names every bad variable in one error, one line each', () => {
    const message = problemsOf({
      PORT: 'abc',
      DISPATCH_RATE: '0',
      MISFIRE_GRACE: 'soon',
      CALL_API_IDEMPOTENT: 'maybe',
      CALL_API_URL: '::',
      DATABASE_URL: 'oracle://x',
      SQLITE_SYNCHRONOUS: 'sometimes',
      DISPATCH_CONCURRENCY: '16',
    });
    const lines = message.split('\n').slice(1);
    expect(message).toMatch(/^Invalid configuration:/);
    expect(lines).toHaveLength(7);
    for (const name of ['PORT', 'DISPATCH_RATE', 'MISFIRE_GRACE', 'CALL_API_IDEMPOTENT', 'CALL_API_URL', 'DATABASE_URL', 'SQLITE_SYNCHRONOUS']) {
      expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    }
    expect(message).not.toContain('DISPATCH_CONCURRENCY');
  });

  it('quotes the bad value so a stray space or typo is visible', () => {
    expect(problemsOf({ MAX_ATTEMPTS: 'three' })).toContain('MAX_ATTEMPTS must be an integer >= 1 (got "three")');
  });

  it('refuses a retry ceiling below the base delay', () => {
    expect(problemsOf({ RETRY_BASE_MS: '5000', RETRY_MAX_MS: '1000' })).toMatch(/RETRY_MAX_MS/);
  });

  it('reads LOG_LEVEL in any case', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('refuses a follow ceiling below the first follow interval', () => {
    expect(problemsOf({ FOLLOW_INTERVAL_MS: '2000', FOLLOW_MAX_INTERVAL_MS: '1000' })).toMatch(/FOLLOW_MAX_INTERVAL_MS/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['900000', 900_000],
    ['0', 0],
    ['250ms', 250],
    ['90s', 90_000],
    ['1.5s', 1500],
    ['15m', 900_000],
    ['2h', 7_200_000],
    [' 15 m ', 900_000],
    ['2H', 7_200_000],
  ])('reads %j as %d ms', (raw, ms) => {
    expect(parseDuration(raw)).toBe(ms);
  });

  it.each(['', 'soon', '-5m', '15 minutes', '1e3', 'm', '5d', '1,5s', 'Infinity'])('refuses %j', (raw) => {
    expect(parseDuration(raw)).toBeNull();
  });

  it('reads CALLING_WINDOW (unset or "any" = any time) and names it when it is not a window', () => {
    expect(loadConfig({ CALLING_WINDOW: ' Mon-Sat  08:00-21:00 ' }).callingWindow).toBe('Mon-Sat 08:00-21:00');
    expect(loadConfig({ CALLING_WINDOW: 'any' }).callingWindow).toBeNull();
    expect(() => loadConfig({ CALLING_WINDOW: 'after lunch' })).toThrow(/CALLING_WINDOW .*"after lunch"/);
  });
});
