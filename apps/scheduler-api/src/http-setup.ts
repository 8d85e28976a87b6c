import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Logger as PinoInstance } from 'pino';
import { ApiKeysService } from './auth/api-keys.service.js';
import { RequestAuthenticator } from './auth/request-auth.js';
import { ApiExceptionFilter, toErrorBody } from './common/api-exception.filter.js';
import { BODY_LIMIT, parseJsonBody, requireJsonObjectBody } from './common/json-body.middleware.js';
import { AccessLogController, logAccess, pathOf, REQUEST_ID_HEADER, requestIdFrom } from './common/logging.js';
import { requireSingleQueryValues } from './common/query.middleware.js';
import { STREAMED_CONTENT_TYPES } from './common/raw-reply.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';

/**
 * The one Content-Security-Policy, which both the dashboard and Swagger UI satisfy: scripts from
 * this origin only (the dashboard is built without Angular's inline critical CSS, whose loader is
 * an inline onload handler); inline styles allowed, as Angular's component styles and Swagger UI
 * are inserted as <style> elements; images also as data: URIs (Swagger UI's icons).
 * No upgrade-insecure-requests: a plain-HTTP install on a LAN address must still load its assets.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The Fastify adapter with this API's rules: the request id (genReqId), routes matched whatever
 * the case of the path and with or without a trailing slash (as Express did, and as clients and
 * tests rely on), the body limit, and the one pino instance as Fastify's logger. No per-request
 * child logger: nothing logs through request.log, and a child per request costs (access lines and
 * our own lines carry the requestId themselves).
 */
export function createHttpAdapter(logger: PinoInstance): FastifyAdapter {
  return new FastifyAdapter({
    // A URL the router cannot read (`/api/%zz`) is refused before any hook runs: the same headers,
    // error body and access line as every other answer.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      applyResponseHeaders(request, reply, RESPONSE_HEADERS);
      reply.raw.once('finish', () => logAccess(logger, request, reply));
      void reply.code(error.statusCode ?? 400).send(toErrorBody(error, request));
    },
    loggerInstance: logger,
    logController: new AccessLogController(logger),
    childLoggerFactory: (root: FastifyBaseLogger) => root,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: BODY_LIMIT,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
  });
}

/** Everything HTTP-level: request ids, access log, security headers, CORS, body and query rules, validation, errors, OpenAPI, the dashboard. */
export function configureHttp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    applyResponseHeaders(request, reply, RESPONSE_HEADERS);
    done();
  });
  // CORS is off (browsers allow same-origin calls only) unless CORS_ORIGINS names other origins.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      // @fastify/cors allows only GET, HEAD and POST unless told: reschedule (PATCH) and cancel (DELETE) too.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Actor', 'X-Request-Id', 'X-Correlation-Id', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  configureBodies(fastify);
  // No global prefix: /api is ApiModule's route path (see api.module.ts).
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(RESPONSE_HEADERS));

  const document = buildOpenApiDocument(app);
  protectDocs(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveDashboard(app, resolve(config.dashboardDir));
}

/**
 * JSON bodies (this parser, not Fastify's: an empty body is no body, and `__proto__` is refused
 * by requireJsonObjectBody with the field named) and the streamed types (text/csv): their body is
 * left unread for the route to stream from request.raw, and only routes that say so
 * (@StreamedBody) accept them. Every other type, text/plain included, is 415.
 */
export function configureBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser(STREAMED_CONTENT_TYPES, (_req, _payload, done) => done(null, undefined));
  fastify.addHook('preValidation', (request, _reply, done) => {
    done(requireJsonObjectBody(request) ?? requireSingleQueryValues(request) ?? undefined);
  });
}

/** The security headers (helmet's, for this CSP), worked out once: they are the same on every answer. */
const RESPONSE_HEADERS = fixedResponseHeaders();

function fixedResponseHeaders(): [string, string][] {
  const headers: [string, string][] = [];
  const sink = { setHeader: (name: string, value: string) => void headers.push([name, value]), removeHeader: () => undefined };
  // X-Frame-Options DENY as frame-ancestors 'none' says for older browsers.
  helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, frameguard: { action: 'deny' } })(
    {} as IncomingMessage,
    sink as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

const HEADERS_APPLIED = Symbol('headers-applied');

/**
 * The request id and the security headers, on the raw response: they then reach every answer,
 * a hijacked stream (SSE, NDJSON) included. Also called by the error filter, for requests refused
 * before the hooks ran (an unparseable URL).
 */
export function applyResponseHeaders(request: FastifyRequest, reply: FastifyReply, headers: [string, string][]): void {
  const raw = reply.raw as ServerResponse & { [HEADERS_APPLIED]?: true };
  if (raw[HEADERS_APPLIED] || raw.headersSent) return;
  raw[HEADERS_APPLIED] = true;
  raw.setHeader(REQUEST_ID_HEADER, request.id);
  for (const [name, value] of headers) raw.setHeader(name, value);
}

const DOCS_PATHS = /^\/api\/docs(?:-json|-yaml)?(?:\/|$)/i;

/**
 * Swagger UI and the OpenAPI document are served outside Nest's guards: when authentication is
 * on they need a key too. A browser cannot add a bearer header to a page it opens, so HTTP Basic
 * is accepted here as well (any user name, the key as password): the browser asks once and sends
 * it again for the document. Basic is accepted nowhere else.
 */
function protectDocs(app: NestFastifyApplication): void {
  const keys = app.get(ApiKeysService);
  const authenticator = app.get(RequestAuthenticator);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      // Not async for the other requests: an async hook costs every request a promise.
      if (!DOCS_PATHS.test(pathOf(request.url))) return done();
      // A refused request is answered here; only an allowed one goes on.
      refused(request, reply).then((answered) => (answered ? undefined : done()), done);
    });
  async function refused(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (!(await keys.authRequired())) return false;
    const secret = docsSecret(request.headers.authorization);
    const result = secret ? await keys.authenticate(secret) : ({ ok: false, reason: 'missing' } as const);
    if (result.ok) return false;
    authenticator.failed(request, result.reason);
    await reply.code(401).header('WWW-Authenticate', 'Basic realm="Call Scheduler API docs", charset="UTF-8"').send({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'the API docs need an API key: Authorization: Bearer <key> (in a browser: any user name, the key as password)',
    });
    return true;
  }
}

function docsSecret(header: string | undefined): string | null {
  const [scheme, value] = (header ?? '').split(' ', 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null;
}

// Paths the server answers itself. Routes match whatever the case (/API/calls is /api/calls), so
// this test must too, or /API/… would get the HTML shell.
const SERVER_PATHS = /^\/(?:api|health|metrics)(?:\/|$)/i;

/**
 * The dashboard's files, and the app shell for its client-side routes (/pending, /calls/:id…):
 * a GET that asks for HTML and is no server path. Anything else falls through to the 404.
 */
function serveDashboard(app: NestFastifyApplication, dir: string): void {
  if (!existsSync(resolve(dir, 'index.html'))) return;
  // The files are listed once, at start-up (one route each); the shell route below takes the rest.
  app.useStaticAssets({ root: dir, prefix: '/', index: false, wildcard: false });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/*', (request, reply) => {
      if (SERVER_PATHS.test(pathOf(request.url)) || !acceptsHtml(request.headers.accept)) {
        reply.callNotFound();
        return reply;
      }
      // sendFile: @fastify/static's reply decorator (useStaticAssets registers it).
      return (reply as FastifyReply & { sendFile(name: string): FastifyReply }).sendFile('index.html');
    });
}

/** As Express's req.accepts('html'): no Accept header, or one that takes text/html, text/* or *\/*. */
function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const refused = params.some((p) => /^q=0(?:\.0*)?$/.test(p));
    return !refused && (type === 'text/html' || type === 'text/*' || type === '*/*');
  });
}
