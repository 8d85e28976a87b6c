import 'reflect-metadata';
import { Body, Controller, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { configureBodies } from '../http-setup.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { BODY_LIMIT } from './json-body.middleware.js';
import { StreamedBody } from './raw-reply.js';

@Controller()
class ProbeController {
  @Post('import')
  @StreamedBody('text/csv')
  async import(@Req() req: FastifyRequest) {
    let text = '';
    for await (const chunk of req.raw) text += String(chunk);
    return { lines: text.split('\n').length, bytes: text.length };
  }

  @Post('json')
  json(@Body() body: unknown) {
    return { body };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

// The body rules of http-setup.ts on a real Nest + Fastify app, over HTTP on an ephemeral port.
describe('request bodies', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter({ bodyLimit: BODY_LIMIT }), {
      logger: false,
      bodyParser: false,
      abortOnError: false,
    });
    configureBodies(app.getHttpAdapter().getInstance());
    app.useGlobalFilters(new ApiExceptionFilter());
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  const post = async (url: string, contentType: string, payload: string) => {
    const res = await fetch(base + url, { method: 'POST', headers: { 'content-type': contentType }, body: payload });
    return { statusCode: res.status, body: await res.json() };
  };

  it('hands a @StreamedBody route its text/csv body unread, past the JSON size limit', async () => {
    const csv = Array.from({ length: 5_000 }, (_, i) => `+1415555${String(i).padStart(4, '0')},2030-01-01T09:00:00Z`).join('\n');
    expect(csv.length).toBeGreaterThan(BODY_LIMIT);
    const res = await post('/import', 'text/csv; charset=utf-8', csv);
    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ lines: 5_000, bytes: csv.length });
  });

  it('answers text/csv with 415 on a route that takes JSON, and text/plain everywhere', async () => {
    for (const [url, type] of [
      ['/json', 'text/csv'],
      ['/json', 'text/plain'],
      ['/import', 'text/plain'],
    ]) {
      const res = await post(url, type, 'a,b');
      expect({ url, type, status: res.statusCode }).toEqual({ url, type, status: 415 });
      expect(res.body).toMatchObject({ statusCode: 415, message: 'request body must be JSON (Content-Type: application/json)' });
    }
  });

  it('parses JSON up to the limit, and answers 413 past it and 400 naming the body when it is not JSON', async () => {
    expect((await post('/json', 'application/json', '{"a":1}')).body).toEqual({ body: { a: 1 } });
    const big = await post('/json', 'application/json', JSON.stringify({ a: 'x'.repeat(BODY_LIMIT) }));
    expect(big.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: `request body is larger than ${BODY_LIMIT} bytes` });
    const broken = await post('/json', 'application/json', '{"a":');
    expect(broken.body).toMatchObject({ statusCode: 400, fields: { body: ['is not valid JSON'] } });
  });
});
