import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { requireJsonObjectBody } from './common/json-body.middleware.js';
import { requireSingleQueryValues } from './common/query.middleware.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';

// Call requests are tiny; anything larger is a mistake or an attack.
const BODY_LIMIT = '16kb';

/** Everything HTTP-level: body parsing, prefix, validation, errors, OpenAPI, the dashboard. */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(requireJsonObjectBody);
  // No global prefix: /api is ApiModule's route path (see api.module.ts).
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveDashboard(app, resolve(config.dashboardDir));
  // After the dashboard: its pages and assets keep whatever query they like.
  app.use(requireSingleQueryValues);
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
    if (req.method !== 'GET' || SERVER_PATHS.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.sendFile(index);
  });
}
