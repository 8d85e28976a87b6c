import type { ArgumentsHost } from '@nestjs/common';
import { ConcurrencyError } from '../../../../libs/domain/src/index.js';
import { DatabaseUnavailableError } from '../../../../libs/persistence/src/index.js';
import { ApiExceptionFilter } from './api-exception.filter.js';

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

function send(exception: unknown): Sent {
  const sent: Sent = { headers: {} };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => void (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => void (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
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
});
