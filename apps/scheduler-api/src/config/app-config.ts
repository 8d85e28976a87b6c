import { parseCallingWindow } from '#domain';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '#persistence';

/** Configuration read once from the environment at start-up; see README for the table. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  callApiUrl: string;
  callApiTimeoutMs: number;
  callApiIdempotent: boolean;
  dispatchIntervalMs: number;
  // How far ahead a series' occurrence becomes a call (SERIES_LEAD).
  seriesLeadMs: number;
  dispatchConcurrency: number;
  dispatchRate: number;
  maxAttempts: number;
  // Consecutive "unavailable" answers that open the Call API circuit.
  circuitFailureThreshold: number;
  callApiProbeMs: number;
  callApiProbeMaxMs: number;
  misfireGraceMs: number;
  // CALLING_WINDOW: when calls without their own window may ring, in the callee's zone (null = any time).
  callingWindow: string | null;
  retryBaseMs: number;
  retryMaxMs: number;
  followIntervalMs: number;
  followMaxIntervalMs: number;
  followNotFoundLimit: number;
  followGiveUpMs: number;
  shutdownGraceMs: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  authToken: string | null;
  // Listening on a non-loopback address with no key and no AUTH_TOKEN is refused unless this says so.
  allowOpenApi: boolean;
  // Requests a minute per key (per address without a valid key); 0 turns the limit off.
  rateLimitPerMinute: number;
  // Origins allowed to call the API from a browser; empty = CORS off (same origin only).
  corsOrigins: string[];
  dashboardDir: string;
  // pino level: the lowest level written (trace … fatal), or silent.
  logLevel: LogLevel;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
// AUTH_TOKEN is a shared admin secret: anything shorter is guessable at the rate an API allows.
export const MIN_AUTH_TOKEN_LENGTH = 32;

export const APP_CONFIG = Symbol('APP_CONFIG');

type Env = Record<string, string | undefined>;

/** Parses and validates the environment; throws one error naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const errors: string[] = [];
  const int = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      errors.push(`${name} must be an integer ${range} (got "${raw}")`);
    }
    return value;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (!['true', 'false', '1', '0'].includes(raw)) errors.push(`${name} must be true or false (got "${env[name]}")`);
    return raw === 'true' || raw === '1';
  };
  const duration = (name: string, fallbackMs: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallbackMs;
    const ms = parseDuration(raw);
    if (ms === null) errors.push(`${name} must be a duration like 900000, 90s, 15m or 2h (got "${raw}")`);
    return ms ?? fallbackMs;
  };
  const url = (name: string, fallback: string) => {
    const raw = env[name] || fallback;
    // "localhost:5000" parses as a URL with the scheme "localhost:": only http(s) can be requested.
    if (!URL.canParse(raw) || !['http:', 'https:'].includes(new URL(raw).protocol)) {
      errors.push(`${name} must be an http:// or https:// URL (got "${raw}")`);
    }
    return raw.replace(/\/+$/, '');
  };

  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  try {
    parseDatabaseUrl(databaseUrl);
  } catch (error) {
    errors.push((error as Error).message);
  }
  const synchronous = (env.SQLITE_SYNCHRONOUS || 'NORMAL').toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') errors.push(`SQLITE_SYNCHRONOUS must be NORMAL or FULL (got "${synchronous}")`);

  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) errors.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65_535),
    // Loopback unless told otherwise: a fresh install must not be reachable from the network
    // before anyone has thought about keys (see the start-up check in auth/open-api-check.ts).
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    callApiUrl: url('CALL_API_URL', 'http://localhost:5000'),
    callApiTimeoutMs: int('CALL_API_TIMEOUT_MS', 5000, 1),
    callApiIdempotent: bool('CALL_API_IDEMPOTENT', false),
    dispatchIntervalMs: int('DISPATCH_INTERVAL_MS', 1000, 10),
    seriesLeadMs: duration('SERIES_LEAD', 60 * 60_000),
    dispatchConcurrency: int('DISPATCH_CONCURRENCY', 16, 1),
    dispatchRate: int('DISPATCH_RATE', 50, 1),
    maxAttempts: int('MAX_ATTEMPTS', 3, 1),
    circuitFailureThreshold: int('CIRCUIT_FAILURE_THRESHOLD', 3, 1),
    callApiProbeMs: int('CALL_API_PROBE_MS', 1000, 10),
    callApiProbeMaxMs: int('CALL_API_PROBE_MAX_MS', 10_000, 10),
    misfireGraceMs: duration('MISFIRE_GRACE', 15 * 60_000),
    callingWindow: callingWindow(env.CALLING_WINDOW, errors),
    retryBaseMs: int('RETRY_BASE_MS', 1000, 1),
    retryMaxMs: int('RETRY_MAX_MS', 60_000, 1),
    followIntervalMs: int('FOLLOW_INTERVAL_MS', 1000, 10),
    followMaxIntervalMs: int('FOLLOW_MAX_INTERVAL_MS', 5000, 10),
    followNotFoundLimit: int('FOLLOW_NOT_FOUND_LIMIT', 5, 1),
    followGiveUpMs: duration('FOLLOW_GIVE_UP', 2 * 3_600_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0),
    sqliteSynchronous: synchronous as 'NORMAL' | 'FULL',
    authToken: env.AUTH_TOKEN || null,
    allowOpenApi: bool('ALLOW_OPEN_API', false),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 6000, 0),
    corsOrigins: origins(env.CORS_ORIGINS, errors),
    dashboardDir: env.DASHBOARD_DIR || 'apps/dashboard/dist/dashboard/browser',
    logLevel: logLevel as LogLevel,
  };
  if (config.authToken !== null && config.authToken.length < MIN_AUTH_TOKEN_LENGTH) {
    errors.push(`AUTH_TOKEN must be at least ${MIN_AUTH_TOKEN_LENGTH} characters (got ${config.authToken.length}); e.g. openssl rand -base64 32`);
  }
  if (config.retryMaxMs < config.retryBaseMs) {
    errors.push(`RETRY_MAX_MS must not be below RETRY_BASE_MS (${config.retryMaxMs} < ${config.retryBaseMs})`);
  }
  if (config.callApiProbeMaxMs < config.callApiProbeMs) {
    errors.push(`CALL_API_PROBE_MAX_MS must not be below CALL_API_PROBE_MS (${config.callApiProbeMaxMs} < ${config.callApiProbeMs})`);
  }
  if (config.followMaxIntervalMs < config.followIntervalMs) {
    errors.push(`FOLLOW_MAX_INTERVAL_MS must not be below FOLLOW_INTERVAL_MS (${config.followMaxIntervalMs} < ${config.followIntervalMs})`);
  }
  if (errors.length > 0) throw new Error(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return config;
}

/** CORS_ORIGINS: comma-separated origins such as https://ops.example.com (scheme, host, port; no path). */
function origins(raw: string | undefined, errors: string[]): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin)
      errors.push(`CORS_ORIGINS must list origins like https://ops.example.com (got "${origin}")`);
  }
  return list;
}

/** "900000" (ms), "90s", "15m", "2h" → milliseconds; null when unreadable. */
export function parseDuration(raw: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(raw.trim());
  if (!match) return null;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[((match[2] as string | undefined) ?? 'ms').toLowerCase() as 'ms'];
  return Math.round(Number(match[1]) * factor);
}

/** CALLING_WINDOW: unset (or "any") = any time; otherwise a window parseCallingWindow reads. */
function callingWindow(raw: string | undefined, errors: string[]): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  try {
    return parseCallingWindow(raw, 'CALLING_WINDOW')?.text ?? null;
  } catch (error) {
    errors.push(`${(error as Error).message} (got "${raw}")`);
    return null;
  }
}
