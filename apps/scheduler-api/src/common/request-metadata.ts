import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { EventMetadata } from '#persistence';
import { requestIdOf } from './logging.js';

const clean = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() ? value.trim().replace(/[^\w.:@/ -]/g, '').slice(0, max) : undefined;

/**
 * Who asked, for the audit trail: X-Actor (default "api"), the request id (the one the access log
 * and the X-Request-Id response header carry), X-Correlation-Id.
 */
export const RequestMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): EventMetadata => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const requestId = requestIdOf(req);
  return {
    actor: clean(req.headers['x-actor'], 64) ?? 'api',
    requestId,
    correlationId: clean(req.headers['x-correlation-id'], 64) ?? requestId,
  };
});
