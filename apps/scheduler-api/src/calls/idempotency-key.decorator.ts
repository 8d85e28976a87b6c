import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The optional Idempotency-Key header: 1–255 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value)) {
    const message = 'Idempotency-Key must be 1 to 255 visible ASCII characters';
    throw new BadRequestException({ message: [message], fields: { 'Idempotency-Key': [message] } });
  }
  return value;
});
