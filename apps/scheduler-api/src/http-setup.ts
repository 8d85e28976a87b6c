import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiKeysService } from './auth/api-keys.service.js';
import { RequestAuthenticator } from './auth/request-auth.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { requireJsonObjectBody } from './common/json-body.middleware.js';
import { requireSingleQueryValues } from './common/query.middleware.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';

// Call requests are tiny; anything larger is a mistake or an attack.
const BODY_LIMIT = '16kb';

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

/** Everything HTTP-level: security headers, CORS, body parsing, prefix, validation, errors, OpenAPI, the dashboard. */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // Security headers on every answer, the dashboard's files included; X-Frame-Options DENY as
  // frame-ancestors 'none' says for older browsers.
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, frameguard: { action: 'deny' } }));
  // CORS is off (browsers allow same-origin calls only) unless CORS_ORIGINS names other origins.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Actor', 'X-Request-Id', 'X-Correlation-Id', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(requireJsonObjectBody);
  // No global prefix: /api is ApiModule's route path (see api.module.ts).
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());

  const document = buildOpenApiDocument(app);
  protectDocs(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveDashboard(app, resolve(config.dashboardDir));
  // After the dashboard: its pages and assets keep whatever query they like.
  app.use(requireSingleQueryValues);
}

const DOCS_PATHS = /^\/api\/docs(?:-json|-yaml)?(?:\/|$)/i;

/**
 * Swagger UI and the OpenAPI document are served by Express, outside Nest's guards: when
 * authentication is on they need a key too. A browser cannot add a bearer header to a page it
 * opens, so HTTP Basic is accepted here as well (any user name, the key as password): the browser
 * asks once and sends it again for the document. Basic is accepted nowhere else.
 */
function protectDocs(app: NestExpressApplication): void {
  const keys = app.get(ApiKeysService);
  const authenticator = app.get(RequestAuthenticator);
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (!DOCS_PATHS.test(req.path)) {
      next();
      return;
    }
    try {
      if (!(await keys.authRequired())) {
        next();
        return;
      }
      const secret = docsSecret(req.headers.authorization);
      const result = secret ? await keys.authenticate(secret) : ({ ok: false, reason: 'missing' } as const);
      if (result.ok) {
        next();
        return;
      }
      authenticator.failed(req, result.reason);
      res.setHeader('WWW-Authenticate', 'Basic realm="Call Scheduler API docs", charset="UTF-8"');
      res.status(401).json({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'the API docs need an API key: Authorization: Bearer <key> (in a browser: any user name, the key as password)',
      });
    } catch (error) {
      next(error);
    }
  });
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

// Paths the server answers itself. Express matches routes case-insensitively (/API/calls is
// /api/calls), so this test must too, or /API/… would get the HTML shell.
const SERVER_PATHS = /^\/(?:api|health|metrics)(?:\/|$)/i;

function serveDashboard(app: NestExpressApplication, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(dir, { index: false });
  // Client-side routes (/pending, /calls/:id…) get the app shell; /api and /health stay the API's.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || SERVER_PATHS.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    res.sendFile(index);
  });
}
