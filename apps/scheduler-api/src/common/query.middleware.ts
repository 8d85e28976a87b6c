import { BadRequestException, type HttpException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { pathOf } from './logging.js';

// The API's own routes; the dashboard's files and Swagger UI keep whatever query they like.
const API_PATHS = /^\/(?:api(?!\/docs)|health|metrics)(?:\/|$)/i;

/**
 * Every query parameter of the API takes one value. `?limit=1&limit=2` parses into an array,
 * which validation then reported as nonsense ("limit must not be greater than 500") and code
 * reading a parameter as a string (the SSE route's lastEventId) failed on with a 500.
 * Runs as a Fastify preValidation hook; returns the refusal.
 */
export function requireSingleQueryValues(req: Pick<FastifyRequest, 'query' | 'url'>): HttpException | null {
  const query = req.query as Record<string, unknown> | undefined;
  if (!query || !API_PATHS.test(pathOf(req.url))) return null;
  for (const key in query) {
    if (typeof query[key] !== 'string') {
      const message = `${key} must be given once, as one value`;
      return new BadRequestException({ message, fields: { [key]: [message] } });
    }
  }
  return null;
}
