import { createParamDecorator, UnsupportedMediaTypeException, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/**
 * The request body of a text/csv request as a stream, never buffered. This is the only place
 * that knows how the HTTP layer hands the body over: under Express the request itself is the
 * stream (no body parser reads text/csv); under Fastify it is `request.raw`, left unread by a
 * text/csv content-type parser that does nothing (`done(null, undefined)`) for routes that say
 * they stream (the route's `streamedBody` config).
 */
export const CsvBody = createParamDecorator((_: unknown, ctx: ExecutionContext): Readable => {
  const req = ctx.switchToHttp().getRequest<IncomingMessage | { raw: IncomingMessage }>();
  const raw = 'raw' in req && req.raw instanceof Readable ? req.raw : (req as IncomingMessage);
  if (!/^text\/csv\s*(;|$)/i.test(raw.headers['content-type'] ?? '')) {
    throw new UnsupportedMediaTypeException('request body must be CSV (Content-Type: text/csv)');
  }
  return raw;
});
