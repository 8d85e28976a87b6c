import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pino, stdTimeFunctions, type Logger as PinoInstance } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { LogLevel } from '../config/app-config.js';

/**
 * A request id a client may choose: short, and only characters that cannot break a log line, a
 * header or a query (no spaces, quotes, control characters). Anything else gets a fresh id rather
 * than a 400: the id is for tracing, and a proxy's odd id must not make a request fail.
 */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The request id of this request: the client's X-Request-Id when acceptable, else a new UUID. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The id the access log and the response header carry; set by the HTTP logger on every request. */
export function requestIdOf(req: Request): string {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' ? id : requestIdFrom(req.headers['x-request-id']);
}

export interface Logging {
  /** The one pino instance: Nest's logger and the access log both write through it. */
  logger: PinoInstance;
  /** Express middleware: request id in and out, one access-log line per request. */
  http: HttpLogger;
}

/**
 * JSON lines on stdout (one object per line, ISO time, level names), human-readable only when a
 * person is watching: pino-pretty on a terminal, never in a file or a pipe, so no colour codes
 * end up in collected logs. pino-pretty is a dev dependency: without it, JSON on a terminal too.
 */
export function createLogging(level: LogLevel, stdoutIsTty = process.stdout.isTTY): Logging {
  const pretty = stdoutIsTty && hasPinoPretty();
  const logger = pino({
    level,
    // pid and hostname tell the instances behind one proxy apart.
    base: { service: 'scheduler-api', pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, ignore: 'pid,hostname,service' } } } : {}),
  });
  const http = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      // Set before anything else runs, so every answer (415s and 413s from the body checks
      // included) carries the id its log lines and its events carry.
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // Lines logged during a request carry only its id, not the whole request object.
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: (req, res, ms) => `${req.method} ${routeOf(req) ?? pathOf(req)} ${res.statusCode} ${ms}ms`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req) ?? pathOf(req)} ${res.statusCode}`,
    customSuccessObject: (req, res, value: { responseTime: number }) => accessFields(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime: number }) => accessFields(req, res, value.responseTime),
  });
  return { logger, http };
}

function accessFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  const route = routeOf(req);
  return {
    context: 'Access',
    method: req.method,
    // The matched pattern (/api/calls/:id) groups requests; the raw path only when none matched.
    route: route ?? null,
    ...(route ? {} : { path: pathOf(req) }),
    status: res.statusCode,
    durationMs,
  };
}

// Express sets req.route to the matched route; its path is the pattern, prefix included. A
// catch-all (Nest's middleware routes, `{/*splat}`) is no route of ours: the path says more.
function routeOf(req: IncomingMessage): string | undefined {
  const { route, baseUrl = '' } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof route?.path === 'string' && !route.path.includes('*') ? `${baseUrl}${route.path}` : undefined;
}

// Never the query: it may hold a token (?access_token=) and it makes lines unbounded.
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0].slice(0, 200);
}

function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
