import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Every query parameter of the API takes one value. Express turns `?limit=1&limit=2` into an
 * array, which validation then reported as nonsense ("limit must not be greater than 500") and
 * code reading a parameter as a string (the SSE route's lastEventId) failed on with a 500.
 */
export function requireSingleQueryValues(req: Request, _res: Response, next: NextFunction): void {
  for (const [key, value] of Object.entries(req.query)) {
    if (typeof value !== 'string') {
      const message = `${key} must be given once, as one value`;
      return next(new BadRequestException({ message, fields: { [key]: [message] } }));
    }
  }
  next();
}
