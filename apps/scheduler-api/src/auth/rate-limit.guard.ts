import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../log/long-read-gate.js';
import { ACCEPTS_TICKET } from './auth.decorators.js';
import { RequestAuthenticator } from './request-auth.js';

/**
 * The inbound rate limit (RATE_LIMIT_PER_MINUTE): one budget per key across all routes, and per
 * client address for requests without a valid key, so a flood of wrong keys is turned away with
 * 429 like any other flood. It runs before the AuthGuard. Counters live in this process: behind
 * a load balancer each instance grants its own budget.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>, context?: ExecutionContext): Promise<string> {
    const request = req as unknown as FastifyRequest;
    const acceptsTicket = context
      ? (this.reflector.getAllAndOverride<boolean | undefined>(ACCEPTS_TICKET, [context.getHandler(), context.getClass()]) ?? false)
      : false;
    const auth = await this.authenticator.resolve(request, acceptsTicket);
    return auth.ok && auth.principal.via !== 'open' ? `key:${auth.principal.name}` : `address:${clientAddress(request)}`;
  }

  // One budget for the whole API, not one per route as the default key would give.
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const who = detail.tracker.startsWith('key:') ? 'this key' : 'this address';
    return Promise.reject(new ThrottlerException(`too many requests from ${who}: at most ${detail.limit} a minute; retry after ${detail.timeToBlockExpire} s`));
  }
}
