import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CSV_BODY_PATHS } from '../calls/import/csv-body.decorator.js';

const WITH_BODY = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** How many levels of arrays and objects one field of a request body may nest. */
export const MAX_FIELD_DEPTH = 32;

// class-transformer drops these keys silently (against prototype pollution), so validation never
// sees them and `{"phoneNumber": …, "__proto__": {…}}` was accepted; every other unknown field is
// refused. Refused here the same way.
const DROPPED_KEYS = new Set(['__proto__', 'constructor']);

/**
 * A write with a body must send a JSON object: a text/plain body or a JSON array would otherwise
 * slip past validation as an empty object. Its keys may not be `__proto__` or `constructor`, and
 * no field may nest more than MAX_FIELD_DEPTH levels: class-transformer recurses once per level,
 * and a field nested a few thousand levels deep (which fits in the body limit) overflowed the
 * stack there, answering 500.
 */
export function requireJsonObjectBody(req: Request, _res: Response, next: NextFunction): void {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!WITH_BODY.has(req.method) || !hasBody) return next();
  // The bulk import reads its CSV body as a stream, itself (calls/import/csv-body.decorator.ts).
  if (req.method === 'POST' && CSV_BODY_PATHS.test(req.path)) return next();
  if (!req.is('application/json')) return next(new UnsupportedMediaTypeException('request body must be JSON (Content-Type: application/json)'));
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    return next(new BadRequestException({ message: 'request body must be a JSON object', fields: { body: ['must be a JSON object'] } }));
  }
  for (const [field, value] of Object.entries(req.body as Record<string, unknown>)) {
    if (DROPPED_KEYS.has(field)) {
      const message = `property ${field} should not exist`;
      return next(new BadRequestException({ message, fields: { [field]: [message] } }));
    }
    if (nestingDepth(value, MAX_FIELD_DEPTH) > MAX_FIELD_DEPTH) {
      const message = `${field} is nested more than ${MAX_FIELD_DEPTH} levels deep`;
      return next(new BadRequestException({ message, fields: { [field]: [message] } }));
    }
  }
  next();
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
