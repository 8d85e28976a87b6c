import { Catch, HttpException, HttpStatus, Logger, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, DomainErrorCode } from '#domain';
import { DatabaseUnavailableError } from '#persistence';

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
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(exception, host.switchToHttp().getResponse<Response>());
  }
}

/** Express error handler for failures before Nest's routing (body parser, body checks). */
export function expressErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  sendError(error, res);
}

const logger = new Logger('ApiExceptionFilter');
const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';

function sendError(exception: unknown, res: Response): void {
  if (res.headersSent) return void res.end();
  // /health's 503 keeps Terminus's body (status, info, error, details): it names what is down, and
  // it has the same shape as the 200 answer, which monitors parse.
  const health = healthCheckResult(exception);
  if (health) return void res.status(HttpStatus.SERVICE_UNAVAILABLE).json(health);
  const body = toErrorBody(exception);
  // A client that honours Retry-After comes back once the database is likely reachable again.
  if (body.code === DATABASE_UNAVAILABLE) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_S));
  res.status(body.statusCode).json(body);
}

function healthCheckResult(exception: unknown): object | null {
  if (!(exception instanceof ServiceUnavailableException)) return null;
  const response = exception.getResponse() as { status?: unknown; details?: unknown } | null | undefined;
  return response?.status === 'error' && typeof response.details === 'object' ? response : null;
}

export function toErrorBody(exception: unknown): ErrorBody {
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
    const parserError = exception as { type?: string; status?: number; limit?: number } | null | undefined;
    if (parserError?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: reason(400), message: 'request body is not valid JSON', fields: { body: ['is not valid JSON'] } };
    }
    if (parserError?.type === 'entity.too.large') {
      return { statusCode: 413, error: reason(413), message: `request body is larger than ${parserError.limit} bytes` };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
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
    if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return { statusCode: parserError.status, error: reason(parserError.status), message: (exception as Error).message };
    }
    logger.error(exception);
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
