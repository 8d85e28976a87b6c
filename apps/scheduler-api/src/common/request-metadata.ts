import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { EventMetadata } from '../../../../libs/persistence/src/index.js';

const clean = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() ? value.trim().replace(/[^\w.:@/ -]/g, '').slice(0, max) : undefined;

/** Who asked, for the audit trail: X-Actor (default "api"), X-Request-Id, X-Correlation-Id. */
export const RequestMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): EventMetadata => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const requestId = clean(req.headers['x-request-id'], 64) ?? randomUUID();
  return {
    actor: clean(req.headers['x-actor'], 64) ?? 'api',
    requestId,
    correlationId: clean(req.headers['x-correlation-id'], 64) ?? requestId,
  };
});
