import { BadRequestException, type HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MAX_FIELD_DEPTH, nestingDepth, requireJsonObjectBody } from './json-body.middleware.js';

/** An array nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

function outcome(method: string, body: unknown, json = true): unknown {
  const req = { method, body, headers: { 'content-length': '10' }, is: () => (json ? 'application/json' : false) } as unknown as Request;
  let passed: unknown = 'not called';
  requireJsonObjectBody(req, {} as Response, ((error?: unknown) => (passed = error)) as NextFunction);
  return passed;
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

  it('refuses a DELETE body that is not JSON, as it does for POST and PATCH', () => {
    expect(outcome('DELETE', {}, false)).toBeInstanceOf(UnsupportedMediaTypeException);
  });

  it('refuses a JSON array however deep, before measuring it', () => {
    expect(fieldsOf(outcome('POST', nested(100_000)))).toEqual({ body: ['must be a JSON object'] });
  });
});
