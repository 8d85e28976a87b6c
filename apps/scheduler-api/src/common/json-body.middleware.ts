import { BadRequestException, type HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { streamedBodyTypes } from './raw-reply.js';

const WITH_BODY = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Call requests are tiny; anything larger is a mistake or an attack (bytes). */
export const BODY_LIMIT = 16 * 1024;

/** How many levels of arrays and objects one field of a request body may nest. */
export const MAX_FIELD_DEPTH = 32;

// class-transformer drops these keys silently (against prototype pollution), so validation never
// sees them and `{"phoneNumber": …, "__proto__": {…}}` was accepted; every other unknown field is
// refused. Refused here the same way (the JSON parser keeps them as plain own keys).
const DROPPED_KEYS = new Set(['__proto__', 'constructor']);

export const UNSUPPORTED_BODY = 'request body must be JSON (Content-Type: application/json)';

/** The application/json parser: an empty body is no body; anything else must parse. */
export function parseJsonBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestException({ message: 'request body is not valid JSON', fields: { body: ['is not valid JSON'] } });
  }
}

/**
 * A write with a body must send a JSON object: a JSON array or scalar would otherwise slip past
 * validation as an empty object. Its keys may not be `__proto__` or `constructor`, and no field
 * may nest more than MAX_FIELD_DEPTH levels: class-transformer recurses once per level, and a
 * field nested a few thousand levels deep (which fits in the body limit) overflowed the stack
 * there, answering 500. A streamed type (text/csv) only where the route declares it.
 * Runs as a Fastify preValidation hook (after parsing, before Nest's guards); returns the refusal.
 */
export function requireJsonObjectBody(
  req: Pick<FastifyRequest, 'method' | 'headers' | 'body'> & Partial<Pick<FastifyRequest, 'routeOptions'>>,
): HttpException | null {
  const body = req.body;
  if (!WITH_BODY.has(req.method)) return null;
  if (body === undefined) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === '' || type === 'application/json') return null;
    // A streamed type (the only other kind the parsers let through) on a route that takes none.
    return req.routeOptions && streamedBodyTypes(req as FastifyRequest).includes(type) ? null : new UnsupportedMediaTypeException(UNSUPPORTED_BODY);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return new BadRequestException({ message: 'request body must be a JSON object', fields: { body: ['must be a JSON object'] } });
  }
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (DROPPED_KEYS.has(field)) {
      const message = `property ${field} should not exist`;
      return new BadRequestException({ message, fields: { [field]: [message] } });
    }
    if (nestingDepth(value, MAX_FIELD_DEPTH) > MAX_FIELD_DEPTH) {
      const message = `${field} is nested more than ${MAX_FIELD_DEPTH} levels deep`;
      return new BadRequestException({ message, fields: { [field]: [message] } });
    }
  }
  return null;
}

/**
 * How many levels of arrays and objects `value` nests: 0 for a scalar, 1 for `[1]` or `{}`, 2 for
 * `[[1]]`. Stops counting once past `limit`. Iterative, with its own stack, so a value nested
 * deeper than the call stack allows is measured rather than overflowing.
 */
export function nestingDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) {
      deepest = level;
      if (deepest > limit) break;
    }
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, level]);
  }
  return deepest;
}
