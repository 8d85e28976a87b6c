import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock.js';
import type { Principal } from './api-key.js';
import { ApiKeysService } from './api-keys.service.js';

/** How long a stream ticket may wait before it is used. */
export const TICKET_TTL_MS = 60_000;

export interface Ticket {
  ticket: string;
  expiresAt: string;
}

/**
 * Single-use, short-lived tickets for GET /api/stream: EventSource cannot send headers, and a
 * long-lived key in a URL ends up in proxy and browser logs. A ticket names its key and expiry
 * and is signed (HMAC) with the key's stored hash, so any instance sharing the database can check
 * it without shared state, and a revoked key's tickets die with it. Single use is enforced per
 * instance (a used-ticket set kept until expiry): behind a load balancer a stolen ticket could at
 * worst be replayed once per other instance within its 60 s.
 */
@Injectable()
export class StreamTickets {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  async issue(principal: Principal): Promise<Ticket> {
    const expires = this.clock.now().getTime() + TICKET_TTL_MS;
    const signer = await this.keys.ticketSigner(principal.name, principal.via);
    const payload = Buffer.from(JSON.stringify({ n: principal.name, v: principal.via, e: expires, r: randomBytes(12).toString('base64url') })).toString(
      'base64url',
    );
    // With the API open there is nothing to sign with, and nothing to protect: the ticket is never checked.
    const signature = signer ? sign(payload, signer.secret) : 'open';
    return { ticket: `${payload}.${signature}`, expiresAt: new Date(expires).toISOString() };
  }

  /** The principal of a valid, unexpired, unused ticket (and marks it used); null otherwise. */
  async redeem(ticket: string): Promise<Principal | null> {
    const parts = ticket.split('.');
    if (parts.length !== 2) return null;
    const [payload, signature] = parts;
    if (!payload || !signature) return null;
    let claims: { n?: unknown; v?: unknown; e?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return null;
    }
    const now = this.clock.now().getTime();
    if (typeof claims.n !== 'string' || typeof claims.e !== 'number' || (claims.v !== 'key' && claims.v !== 'token')) return null;
    if (claims.e <= now || claims.e > now + TICKET_TTL_MS || this.used.has(payload)) return null;
    // Marked used before the look-up: two requests racing with one ticket cannot both pass.
    this.forgetExpired(now);
    this.used.set(payload, claims.e);
    const signer = await this.keys.ticketSigner(claims.n, claims.v);
    if (!signer) return null;
    const expected = Buffer.from(sign(payload, signer.secret));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return signer.principal;
  }

  private forgetExpired(now: number): void {
    for (const [payload, expires] of this.used) if (expires <= now) this.used.delete(payload);
  }
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
