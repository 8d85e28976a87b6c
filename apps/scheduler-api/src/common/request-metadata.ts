import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { EventMetadata } from '#persistence';
import { ANONYMOUS } from '../auth/api-key.js';
import { principalOf } from '../auth/request-auth.js';
import { requestIdOf } from './logging.js';

const clean = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim()
    ? value
        .trim()
        .replace(/[^\w.:@/ -]/g, '')
        .slice(0, max) || undefined
    : undefined;

/**
 * Who asked, for the audit trail. The actor is the authenticated key's name (`admin` for
 * AUTH_TOKEN, `anonymous` when the API is open), never something the client says: X-Actor is
 * only recorded as `onBehalfOf` (an operator acting for someone else). The request id is the one
 * the access log and the X-Request-Id response header carry; plus X-Correlation-Id.
 */
export const RequestMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): EventMetadata => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const requestId = requestIdOf(req);
  const onBehalfOf = clean(req.headers['x-actor'], 64);
  return {
    actor: (principalOf(req) ?? ANONYMOUS).name,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    requestId,
    correlationId: clean(req.headers['x-correlation-id'], 64) ?? requestId,
  };
});
