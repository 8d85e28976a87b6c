import { BadRequestException, HttpException, type ArgumentsHost } from '@nestjs/common';
import { ConcurrencyError, DomainError, DomainErrorCode, IdempotencyMismatchError, InvalidCursorError, stateAsOf } from '#domain';
import { DatabaseUnavailableError } from '#persistence';
import { ApiExceptionFilter } from './api-exception.filter.js';

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

function send(exception: unknown): Sent {
  const sent: Sent = { headers: {} };
  // A FastifyReply as far as the filter uses it.
  const reply = {
    sent: false,
    raw: { headersSent: false },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return this;
    },
    code(code: number) {
      sent.status = code;
      return this;
    },
    send: (body: unknown) => void (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => undefined }) } as unknown as ArgumentsHost;
  new ApiExceptionFilter().catch(exception, host);
  return sent;
}

describe('ApiExceptionFilter', () => {
  it('answers 503 with Retry-After when the database is unreachable', () => {
    const sent = send(new DatabaseUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('2');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the database is unreachable; try again shortly',
      code: 'DATABASE_UNAVAILABLE',
    });
  });

  it('keeps other errors as they were, without Retry-After', () => {
    const conflict = send(new ConcurrencyError('c1', 3));
    expect(conflict.status).toBe(409);
    expect(conflict.headers['Retry-After']).toBeUndefined();
    const bug = send(new Error('Connection terminated unexpectedly'));
    expect(bug.status).toBe(500);
    expect(bug.headers['Retry-After']).toBeUndefined();
  });

  it('maps every domain error code to a 4xx status, with the code and a string message', () => {
    for (const code of Object.values(DomainErrorCode)) {
      const sent = send(new DomainError(code, `broken ${code}`));
      expect({ code, status: sent.status }).toEqual({ code, status: expect.any(Number) as unknown });
      expect(sent.status).toBeGreaterThanOrEqual(400);
      expect(sent.status).toBeLessThan(500);
      expect(sent.body).toMatchObject({ code, message: `broken ${code}` });
    }
  });

  it('answers a reused Idempotency-Key with 422 IDEMPOTENCY_MISMATCH', () => {
    const sent = send(new IdempotencyMismatchError());
    expect(sent.status).toBe(422);
    expect(sent.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_MISMATCH', message: expect.stringContaining('Idempotency-Key') as unknown });
  });

  it('answers a foreign cursor with 400 INVALID_CURSOR naming the cursor field', () => {
    const sent = send(new InvalidCursorError());
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ code: 'INVALID_CURSOR', fields: { cursor: ['cursor is not a cursor this API returned'] } });
  });

  it('answers a bad asOf with its own code, INVALID_AS_OF, naming asOf', () => {
    let error: unknown;
    try {
      stateAsOf('c1', [], 'yesterday');
    } catch (caught) {
      error = caught;
    }
    const sent = send(error);
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ code: 'INVALID_AS_OF', fields: { asOf: [expect.any(String)] } });
  });

  it("answers Fastify's own refusals (body too large, unknown content type) in this API's words", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(send(new HttpException(tooLarge.message, 413, { cause: tooLarge })).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request body is larger than 16384 bytes',
    });
    const media = Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
    expect(send(media)).toMatchObject({ status: 415, body: { statusCode: 415, message: 'Unsupported Media Type' } });
  });

  it('joins several messages (validation) into one string', () => {
    const sent = send(new BadRequestException({ message: ['a is bad', 'b is bad'], fields: { a: ['a is bad'], b: ['b is bad'] } }));
    expect(sent.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'a is bad; b is bad', fields: { a: ['a is bad'], b: ['b is bad'] } });
  });
});
