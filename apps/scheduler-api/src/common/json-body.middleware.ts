import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const WITH_BODY = new Set(['POST', 'PATCH', 'PUT']);

/**
 * A write with a body must send a JSON object: a text/plain body or a JSON array would otherwise
 * slip past validation as an empty object.
 */
export function requireJsonObjectBody(req: Request, _res: Response, next: NextFunction): void {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!WITH_BODY.has(req.method) || !hasBody) return next();
  if (!req.is('application/json')) return next(new UnsupportedMediaTypeException('request body must be JSON (Content-Type: application/json)'));
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    return next(new BadRequestException({ message: 'request body must be a JSON object', fields: { body: ['must be a JSON object'] } }));
  }
  next();
}
