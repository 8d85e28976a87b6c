import { createParamDecorator, UnsupportedMediaTypeException, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** The one route that takes a streamed body: the JSON body checks let text/csv through to it. */
export const CSV_BODY_PATHS = /^\/api\/calls\/import\/?$/i;

/**
 * The request body of a text/csv request as a stream, never buffered. This is the only place
 * that knows how the HTTP layer hands the body over: under Express the request itself is the
 * stream (no body parser reads text/csv); under Fastify a content-type parser for text/csv that
 * passes the payload through (`done(null, payload)`) leaves the stream in `body`.
 */
export const CsvBody = createParamDecorator((_: unknown, ctx: ExecutionContext): Readable => {
  const req = ctx.switchToHttp().getRequest<IncomingMessage & { body?: unknown }>();
  if (!/^text\/csv\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw new UnsupportedMediaTypeException('request body must be CSV (Content-Type: text/csv)');
  }
  return req.body instanceof Readable ? req.body : req;
});
