import { BadRequestException, type HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { MAX_FIELD_DEPTH, nestingDepth, parseJsonBody, requireJsonObjectBody } from './json-body.middleware.js';

/** An array nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

/** What the hook answers: undefined when it lets the request through, else the refusal. */
function outcome(method: string, body: unknown, contentType = 'application/json', streamedBody: string[] = []): unknown {
  const req = { method, body, headers: { 'content-type': contentType }, routeOptions: { config: { streamedBody } } } as unknown as FastifyRequest;
  return requireJsonObjectBody(req) ?? undefined;
}

const fieldsOf = (error: unknown) => ((error as HttpException).getResponse() as { fields: Record<string, string[]> }).fields;

describe('nestingDepth', () => {
  it.each([
    [null, 0],
    ['text', 0],
    [1, 0],
    [[], 1],
    [{}, 1],
    [[1, [2]], 2],
    [{ a: { b: [] } }, 3],
    [[[], [[[]]], []], 4],
  ])('measures %j as %i levels', (value, depth) => {
    expect(nestingDepth(value)).toBe(depth);
  });

  it('measures a value nested far deeper than the call stack allows, without recursing', () => {
    expect(nestingDepth(nested(200_000))).toBe(200_000);
  });

  it('stops counting once past the limit', () => {
    expect(nestingDepth(nested(200_000), 32)).toBe(33);
  });
});

describe('requireJsonObjectBody', () => {
  it(`lets a body through whose fields nest at most ${MAX_FIELD_DEPTH} levels`, () => {
    expect(outcome('POST', { phoneNumber: '+14155550100', timezone: nested(MAX_FIELD_DEPTH) })).toBeUndefined();
  });

  it.each(['POST', 'PATCH', 'DELETE'])('refuses a %s body with a field nested deeper, naming the field', (method) => {
    const error = outcome(method, { phoneNumber: '+14155550100', timezone: nested(1_600) });
    expect(error).toBeInstanceOf(BadRequestException);
    expect(fieldsOf(error)).toEqual({ timezone: ['timezone is nested more than 32 levels deep'] });
  });

  it.each(['__proto__', 'constructor'])('refuses the key %s, which class-transformer would drop silently', (key) => {
    const body: unknown = JSON.parse(`{"phoneNumber":"+14155550100",${JSON.stringify(key)}:{}}`);
    expect(fieldsOf(outcome('POST', body))).toEqual({ [key]: [`property ${key} should not exist`] });
  });

  it('refuses a streamed (text/csv) body on a route that takes none, and lets it through where the route declares it', () => {
    expect(outcome('DELETE', undefined, 'text/csv')).toBeInstanceOf(UnsupportedMediaTypeException);
    expect(outcome('POST', undefined, 'text/csv; charset=utf-8', ['text/csv'])).toBeUndefined();
  });

  it('lets a write without a body through (an empty JSON body is no body)', () => {
    expect(parseJsonBody('')).toBeUndefined();
    expect(outcome('POST', undefined)).toBeUndefined();
  });

  it('refuses a body that is not JSON with 400 naming the body', () => {
    let error: unknown;
    try {
      parseJsonBody('{"phoneNumber": ');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    expect(fieldsOf(error)).toEqual({ body: ['is not valid JSON'] });
  });

  it('refuses a JSON array however deep, before measuring it', () => {
    expect(fieldsOf(outcome('POST', nested(100_000)))).toEqual({ body: ['must be a JSON object'] });
  });
});
