import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_ANSWERS } from './common/api-errors.decorator.js';
import { Public } from './common/auth.guard.js';

export const BEARER = 'bearer';

/**
 * The OpenAPI document: what /api/docs shows and /api/docs-json serves, and what
 * `npm run openapi` writes for client generators (test/contract checks a generated client).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Call Scheduler API')
    .setDescription(
      'Schedule outbound calls; follow them; audit the event log. Every error has one shape: ' +
        '`{statusCode, error, message, code?, fields?}` (`message` is one string; `fields` names each bad input; ' +
        '`code` names a broken domain rule). Every answer carries `X-Request-Id` (the one sent, when acceptable, ' +
        'or a new one), which the logs and the events recorded by the request carry too.',
    )
    .setVersion('1.0')
    .setLicense('UNLICENSED', 'https://choosealicense.com/no-permission/')
    .addServer('/', 'this server (npm start: http://localhost:3000; behind a proxy: its address)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key or AUTH_TOKEN' }, BEARER)
    .addTag('calls', 'Schedule, reschedule, cancel, retry and dial calls; read them and their events')
    .addTag('events', 'The global event log: pages, or all of it as NDJSON')
    .addTag('stream', 'Live changes over Server-Sent Events')
    .addTag('audit', 'Verify the tamper-evident log')
    .addTag('health', 'Liveness and metrics for monitors and scrapers')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  applySecurity(document, publicOperations(app));
  return document;
}

/**
 * The guard's own word decides: a route marked Public() (health) is open, every other route needs
 * a key whenever authentication is on. Read from the same metadata the guard reads, so the
 * document cannot say "open" of a route the guard protects, or the reverse.
 */
function publicOperations(app: INestApplication): Set<string> {
  const key = (Public() as { KEY?: string }).KEY ?? '';
  const open = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const controller of module.controllers.values()) {
      const type = controller.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const classIsPublic = Reflect.getMetadata(key, type) === true;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const operation = Reflect.getMetadata(DECORATORS.API_OPERATION, handler) as { operationId?: string } | undefined;
        const handlerIsPublic = Reflect.getMetadata(key, handler) as boolean | undefined;
        if (operation?.operationId && (handlerIsPublic ?? classIsPublic)) open.add(operation.operationId);
      }
    }
  }
  return open;
}

/**
 * Security on every operation, and the error answers that follow from the cross-cutting layers
 * rather than from one route: the guard (401, 403), the rate limit (429), the body checks on
 * every write (413, 415) and the database (503). Routes document their own answers beside them.
 */
function applySecurity(document: OpenAPIObject, open: Set<string>): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const isPublic = open.has(operation.operationId ?? '');
      operation.security = isPublic ? [] : [{ [BEARER]: [] }];
      if (isPublic) continue;
      const statuses = [401, 403, 429, 503, ...(method === 'get' ? [] : [413, 415])];
      for (const status of statuses) {
        operation.responses[status] ??= {
          description: ERROR_ANSWERS[status].description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' }, example: ERROR_ANSWERS[status].example } },
        };
      }
    }
  }
}
