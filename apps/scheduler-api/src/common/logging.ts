import type { LoggerService } from '@nestjs/common';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { pino, stdTimeFunctions, type Level, type Logger as PinoInstance } from 'pino';
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

/** The id the access log and the response header carry: Fastify's request.id (genReqId, see http-setup.ts). */
export function requestIdOf(req: { id?: unknown; headers: Record<string, unknown> }): string {
  return typeof req.id === 'string' ? req.id : requestIdFrom(req.headers['x-request-id']);
}

/**
 * JSON lines on stdout (one object per line, ISO time, level names), human-readable only when a
 * person is watching: pino-pretty on a terminal, never in a file or a pipe, so no colour codes
 * end up in collected logs. pino-pretty is a dev dependency: without it, JSON on a terminal too.
 * The one pino instance: Nest's logger (PinoNestLogger), Fastify's and the access log write through it.
 */
export function createLogger(level: LogLevel, stdoutIsTty = process.stdout.isTTY): PinoInstance {
  const pretty = stdoutIsTty && hasPinoPretty();
  return pino({
    level,
    // pid and hostname tell the instances behind one proxy apart.
    base: { service: 'scheduler-api', pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, ignore: 'pid,hostname,service' } } } : {}),
  });
}

/**
 * Nest's LoggerService on the pino instance: `logger.log(message, context)` becomes
 * `{"context": …, "msg": …}`, an object message is merged into the line, an Error goes under `err`.
 * (The same lines nestjs-pino wrote, without its per-request AsyncLocalStorage, which cost ~7% of
 * the CPU of a scheduling request; lines written during a request name its requestId themselves.)
 */
// Nest's method for each level, and pino's.
const NEST_LEVELS = { verbose: 'trace', debug: 'debug', log: 'info', warn: 'warn', error: 'error', fatal: 'fatal' } as const;

export class PinoNestLogger implements LoggerService {
  readonly verbose!: LoggerService['log'];
  readonly debug!: LoggerService['log'];
  readonly log!: LoggerService['log'];
  readonly warn!: LoggerService['log'];
  readonly error!: LoggerService['log'];
  readonly fatal!: LoggerService['log'];

  constructor(private readonly logger: PinoInstance) {
    for (const [method, level] of Object.entries(NEST_LEVELS)) {
      Object.defineProperty(this, method, { value: (message: unknown, ...params: unknown[]) => this.write(level, message, params) });
    }
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest passes the context last; anything before it is a format argument or (error) a stack.
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message, ...rest);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level](Object.assign(fields, message), ...(rest as [string?]));
    } else if (level === 'error' && typeof message === 'string' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(message);
      err.stack = rest[0];
      this.logger.error({ ...fields, err });
    } else {
      this.logger[level](fields, String(message), ...rest);
    }
  }
}

const LOGGED = Symbol('access-logged');

/**
 * Fastify's request logging, as this service's access log: no "incoming request" line, and one
 * line per finished request in the shape below (the rest of Fastify's own lines stay as they are).
 */
export class AccessLogController extends LogController {
  constructor(private readonly logger: PinoInstance) {
    super({ disableRequestLogging: false });
  }

  override incomingRequest(): void {
    // One line per request, written when it completes.
  }

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    logAccess(this.logger, request, reply);
  }
}

/**
 * One access line per request, from Fastify's onResponse hook (and, for a streamed answer the
 * client left, when its socket closes): `{requestId, context: "Access", method, route, status,
 * durationMs}`; the raw path only when no route of ours matched; never the query.
 */
export function logAccess(logger: PinoInstance, request: FastifyRequest, reply: FastifyReply): void {
  const r = request as FastifyRequest & { [LOGGED]?: true };
  if (r[LOGGED]) return;
  r[LOGGED] = true;
  const status = reply.raw.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const route = routeOf(request);
  const durationMs = Math.round(reply.elapsedTime);
  const fields = {
    requestId: request.id,
    context: 'Access',
    method: request.method,
    // The matched pattern (/api/calls/:id) groups requests; the raw path only when none matched.
    route: route ?? null,
    ...(route ? {} : { path: pathOf(request.url) }),
    status,
    durationMs,
  };
  logger[level](fields, `${request.method} ${route ?? fields.path} ${status} ${durationMs}ms`);
}

// The route pattern Fastify matched. A catch-all (the dashboard's `/*`) is no route of ours: the path says more.
function routeOf(request: FastifyRequest): string | undefined {
  // (No routeOptions on a request the router could not read.)
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  const url = request.is404 ? undefined : request.routeOptions?.url;
  return url && !url.includes('*') ? url : undefined;
}

/** The path of a request URL: never the query (it may hold a token, and it makes lines unbounded). */
export function pathOf(url: string | undefined): string {
  const path = url ?? '';
  const query = path.indexOf('?');
  return (query >= 0 ? path.slice(0, query) : path).slice(0, 200);
}

function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
