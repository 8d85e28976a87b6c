import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Subject } from 'rxjs';
import { pathOf, requestIdOf } from '../common/logging.js';
import { clientAddress } from '../log/long-read-gate.js';
import { ANONYMOUS, type Principal } from './api-key.js';
import { ApiKeysService } from './api-keys.service.js';
import { StreamTickets } from './stream-tickets.js';

export type AuthFailureReason = 'missing' | 'malformed' | 'invalid' | 'revoked' | 'ticket' | 'forbidden';

export type RequestAuth = { ok: true; principal: Principal } | { ok: false; reason: Exclude<AuthFailureReason, 'forbidden'> };

const RESOLVED = Symbol('auth:resolved');
type Request = FastifyRequest;
type WithAuth = Request & { [RESOLVED]?: Promise<RequestAuth>; principal?: Principal };

/** The principal of a request that passed the guards (absent on @Public routes). */
export const principalOf = (req: Request): Principal | undefined => (req as WithAuth).principal;

/**
 * Who a request comes from, worked out once per request: the rate limiter (which counts per key,
 * or per address for requests that fail to authenticate) and the AuthGuard both ask.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly logger = new Logger('Auth');
  private readonly failureSubject = new Subject<AuthFailureReason>();
  /** Every failed authentication or authorisation, by reason (metrics count them). */
  readonly failures$ = this.failureSubject.asObservable();

  constructor(
    private readonly keys: ApiKeysService,
    private readonly tickets: StreamTickets,
  ) {}

  resolve(req: Request, acceptsTicket: boolean): Promise<RequestAuth> {
    const r = req as WithAuth;
    r[RESOLVED] ??= this.authenticate(req, acceptsTicket).then((auth) => {
      if (auth.ok) r.principal = auth.principal;
      return auth;
    });
    return r[RESOLVED];
  }

  /** Counts and logs a refusal: one warn line with the address and the reason, never the key. */
  failed(req: Request, reason: AuthFailureReason, detail = ''): void {
    this.failureSubject.next(reason);
    this.logger.warn({
      msg: `${reason === 'forbidden' ? 'request not allowed' : 'authentication failed'} (${reason}${detail}) from ${clientAddress(req)}: ${req.method} ${pathOf(req.url)}`,
      requestId: requestIdOf(req),
    });
  }

  private async authenticate(req: Request, acceptsTicket: boolean): Promise<RequestAuth> {
    if (!(await this.keys.authRequired())) return { ok: true, principal: ANONYMOUS };
    const header = req.headers.authorization;
    if (header !== undefined) {
      const bearer = /^Bearer ([\x21-\x7e]+)$/i.exec(header)?.[1];
      if (!bearer) return { ok: false, reason: 'malformed' };
      const result = await this.keys.authenticate(bearer);
      return result.ok ? result : { ok: false, reason: result.reason };
    }
    // A request built outside Fastify (a test double) may carry no parsed query.
    const ticket = (req.query as Record<string, unknown> | undefined)?.ticket;
    if (acceptsTicket && typeof ticket === 'string' && ticket !== '') {
      const principal = await this.tickets.redeem(ticket);
      return principal ? { ok: true, principal } : { ok: false, reason: 'ticket' };
    }
    return { ok: false, reason: 'missing' };
  }
}
