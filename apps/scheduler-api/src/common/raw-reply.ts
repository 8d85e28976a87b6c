import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Logger as PinoInstance } from 'pino';
import { logAccess } from './logging.js';

/**
 * Content types whose body the server does not read: a route that declares one with
 * @StreamedBody reads it from `request.raw` (a Readable) as it arrives, with no size limit
 * but its own. Every other route answers such a body with 415.
 */
export const STREAMED_CONTENT_TYPES = ['text/csv'];

/** The route takes a streamed body of these types (see STREAMED_CONTENT_TYPES); read it from `request.raw`. Document it with @ApiConsumes. */
export const StreamedBody = (...types: string[]) => RouteConfig({ streamedBody: types });

/** The streamed body types the route of `request` accepts. */
export function streamedBodyTypes(request: FastifyRequest): readonly string[] {
  return (request.routeOptions.config as { streamedBody?: string[] } | undefined)?.streamedBody ?? [];
}

/** What takeRaw needs of a FastifyReply (tests pass a stand-in). */
export type RawCapableReply = Pick<FastifyReply, 'hijack' | 'getHeaders' | 'raw' | 'header'> & Partial<Pick<FastifyReply, 'log' | 'request'>>;

/**
 * Takes the raw response over from Fastify for an answer written piece by piece (SSE, NDJSON):
 * Fastify will send nothing more for this request. The headers set on the reply so far (rate
 * limit, CORS) go onto the raw response; the request id and security headers are there already.
 * Call it only once nothing can fail with an error answer any more: after it, errors can only
 * end the response.
 */
export function takeRaw(reply: RawCapableReply): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
  // Fastify logs a request when its response finishes; a stream the client left never does.
  const { log, request } = reply;
  if (log && request) raw.once('close', () => logAccess(log as PinoInstance, request, reply as FastifyReply));
  return raw;
}
