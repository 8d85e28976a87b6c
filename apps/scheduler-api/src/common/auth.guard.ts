import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows, type Role } from '../auth/api-key.js';
import { ACCEPTS_TICKET, IS_PUBLIC, REQUIRED_ROLE } from '../auth/auth.decorators.js';
import { RequestAuthenticator } from '../auth/request-auth.js';

export { Public } from '../auth/auth.decorators.js';

const UNAUTHORIZED: Record<string, string> = {
  missing: 'an API key is required: Authorization: Bearer <key>',
  malformed: 'the Authorization header must be "Bearer <key>"',
  invalid: 'this API key is not valid',
  revoked: 'this API key was revoked',
  ticket: 'the stream ticket is not valid, expired or already used: ask POST /api/stream/tickets for a new one',
};

/**
 * Authentication, then the role the route needs (@Roles; `viewer` by default). When no key was
 * ever issued and AUTH_TOKEN is unset the API is open (start-up allows that on loopback or with
 * ALLOW_OPEN_API only) and every request acts as `anonymous`. The decision is made by route,
 * never by the request path: routes match paths case-insensitively, so a path test such as
 * `startsWith('/api')` let `POST /API/calls` through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const auth = await this.authenticator.resolve(req, this.reflector.getAllAndOverride<boolean | undefined>(ACCEPTS_TICKET, targets) ?? false);
    if (!auth.ok) {
      this.authenticator.failed(req, auth.reason);
      context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="call-scheduler"');
      throw new UnauthorizedException(UNAUTHORIZED[auth.reason]);
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'viewer';
    if (roleAllows(auth.principal.role, required)) return true;
    this.authenticator.failed(req, 'forbidden', `: ${auth.principal.name} is ${auth.principal.role}, needs ${required}`);
    throw new ForbiddenException(`this needs the ${required} role; the key "${auth.principal.name}" is ${auth.principal.role}`);
  }
}
