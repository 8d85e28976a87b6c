// Writes the OpenAPI document (what /api/docs-json serves) to a file, without a configured
// database, a Call API or a listening server: the app is created (not started: no dispatcher, no
// port) on a throwaway SQLite file. Not Nest's preview mode: it instantiates no module, and
// RouterModule's instance is what puts the /api prefix on the routes.
// Usage: npm run openapi [-- out.json]   (after npm run build:server; default openapi.json)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { URL } from 'node:url';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const dist = new URL('../dist/apps/scheduler-api/src/', import.meta.url);
const { AppModule } = await import(new URL('app.module.js', dist));
const { loadConfig } = await import(new URL('config/app-config.js', dist));
const { buildOpenApiDocument } = await import(new URL('openapi.js', dist));

const out = resolve(process.argv[2] ?? 'openapi.json');
// Defaults only: the document does not depend on the environment, and a bad variable here must not change it.
const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
const config = { ...loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'calls.db')}` }), logLevel: 'silent' };
// The same HTTP adapter as the service (http-setup.ts), so the document is the one /api/docs-json serves.
const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { logger: false, abortOnError: false });
const document = buildOpenApiDocument(app);
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`OpenAPI document: ${out} (${Object.keys(document.paths).length} paths)`);
await app.close();
rmSync(dir, { recursive: true, force: true });
