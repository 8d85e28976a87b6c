import { Catch, HttpException, HttpStatus, Logger, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, DomainErrorCode } from '#domain';
import { DatabaseUnavailableError } from '#persistence';
import { applyResponseHeaders } from '../http-setup.js';
import { BODY_LIMIT, UNSUPPORTED_BODY } from './json-body.middleware.js';
import { requestIdOf } from './logging.js';

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  [DomainErrorCode.CallNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.SeriesNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.InvalidRecurrence]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.IllegalTransition]: HttpStatus.CONFLICT,
  [DomainErrorCode.Concurrency]: HttpStatus.CONFLICT,
  [DomainErrorCode.IdempotencyMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.InvalidPhoneNumber]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidScheduledAt]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidTimezone]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidAsOf]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidCursor]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidImport]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidCallingWindow]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidFilter]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.OutsideCallingWindow]: HttpStatus.CONFLICT,
};

// Long enough for a restarting database or a pool to recover, short enough that clients notice when it has.
export const DATABASE_RETRY_AFTER_S = 2;

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  fields?: Record<string, string[]>;
}

/**
 * Every error leaves the API in one shape: {statusCode, error, message[, code, fields]}, with
 * `message` one string (several messages, as validation gives, are joined) and `fields` naming
 * each bad input.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  /** `headers`: the fixed response headers, for errors raised before the onRequest hook set them (an unparseable URL). */
  constructor(private readonly headers: [string, string][] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    // A hijacked (streamed) answer has sent its headers: all that is left is to end it.
    if (reply.sent || reply.raw.headersSent) return void reply.raw.end();
    if (request) applyResponseHeaders(request, reply, this.headers);
    // /health's 503 keeps Terminus's body (status, info, error, details): it names what is down, and
    // it has the same shape as the 200 answer, which monitors parse.
    const health = healthCheckResult(exception);
    if (health) return void reply.code(HttpStatus.SERVICE_UNAVAILABLE).send(health);
    const body = toErrorBody(exception, request);
    // A client that honours Retry-After comes back once the database is likely reachable again.
    if (body.code === DATABASE_UNAVAILABLE) reply.header('Retry-After', String(DATABASE_RETRY_AFTER_S));
    void reply.code(body.statusCode).send(body);
  }
}

const logger = new Logger('ApiExceptionFilter');
const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';

function healthCheckResult(exception: unknown): object | null {
  if (!(exception instanceof ServiceUnavailableException)) return null;
  const response = exception.getResponse() as { status?: unknown; details?: unknown } | null | undefined;
  return response?.status === 'error' && typeof response.details === 'object' ? response : null;
}

// Fastify's own refusals (the adapter wraps them in an HttpException whose cause they are), in this API's words.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `request body is larger than ${BODY_LIMIT} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_BODY,
};

export function toErrorBody(exception: unknown, request?: { id?: unknown; headers: Record<string, unknown> }): ErrorBody {
  {
    if (exception instanceof DomainError) {
      const statusCode = DOMAIN_STATUS[exception.code];
      // An error about two inputs together (an offset that contradicts the zone) names both.
      const named = exception.field ? [exception.field, ...exception.otherFields] : [];
      const fields = named.length > 0 ? Object.fromEntries(named.map((f) => [f, [exception.message]])) : undefined;
      return { statusCode, error: reason(statusCode), message: exception.message, code: exception.code, fields };
    }
    if (exception instanceof DatabaseUnavailableError) {
      // Not a bug and not the client's fault: worth a retry, unlike the 500 an unknown error gets.
      logger.warn(exception.message);
      return { statusCode: 503, error: reason(503), message: 'the database is unreachable; try again shortly', code: DATABASE_UNAVAILABLE };
    }
    // Anything may be thrown, null and undefined included.
    const other = exception as { statusCode?: unknown } | null | undefined;
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const fastifyCode = (exception.cause as { code?: unknown } | undefined)?.code;
      if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_MESSAGES) {
        return { statusCode, error: reason(statusCode), message: FASTIFY_MESSAGES[fastifyCode] };
      }
      const response = exception.getResponse();
      const extra =
        typeof response === 'object' ? (response as { message?: unknown; code?: unknown; fields?: Record<string, string[]> }) : { message: response };
      return {
        statusCode,
        error: reason(statusCode),
        message: oneMessage(extra.message ?? exception.message),
        ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
        ...(extra.fields ? { fields: extra.fields } : {}),
      };
    }
    // A client error raised by Fastify or a plugin that the adapter did not wrap.
    if (typeof other?.statusCode === 'number' && other.statusCode >= 400 && other.statusCode < 500) {
      return { statusCode: other.statusCode, error: reason(other.statusCode), message: (exception as Error).message };
    }
    // With the request's id, so the 500 the client saw can be found in the log.
    const msg = exception instanceof Error ? exception.message : String(exception);
    logger.error({ msg, err: exception, ...(request ? { requestId: requestIdOf(request) } : {}) });
    return { statusCode: 500, error: reason(500), message: 'internal error' };
  }
}

function oneMessage(message: unknown): string {
  return Array.isArray(message) ? message.map(String).join('; ') : String(message);
}

function reason(status: number): string {
  const text = HttpStatus[status] as string | undefined;
  return text ? text.toLowerCase().replace(/(^|_)(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) : 'Error';
}
