import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * When AUTH_TOKEN is set, /api requires `Authorization: Bearer <token>` (or `?access_token=` for
 * EventSource, which cannot send headers). /health stays open for load balancers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.authToken;
    if (!expected) return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/api')) return true;
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : typeof req.query.access_token === 'string' ? req.query.access_token : '';
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
    throw new UnauthorizedException('a valid bearer token is required (AUTH_TOKEN is set)');
  }
}
