import { Inject, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const IS_PUBLIC = 'auth:public';

/** Marks a controller or route as open even when AUTH_TOKEN is set (health checks, metrics scrapes). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * When AUTH_TOKEN is set, every Nest route requires `Authorization: Bearer <token>` (or
 * `?access_token=` for EventSource, which cannot send headers), except those marked @Public().
 * The decision is made by route, never by the request path: Express matches paths
 * case-insensitively, so a path test such as `startsWith('/api')` let `POST /API/calls` through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.authToken;
    if (!expected) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const given = bearer ?? (typeof req.query.access_token === 'string' ? req.query.access_token : '');
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
    throw new UnauthorizedException('a valid bearer token is required (AUTH_TOKEN is set)');
  }
}
