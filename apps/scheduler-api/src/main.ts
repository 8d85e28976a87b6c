import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Database } from '#persistence';
import { AppModule } from './app.module.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { isLoopback, openApiRefusal } from './auth/open-api-check.js';
import { createLogger, PinoNestLogger } from './common/logging.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { configureHttp, createHttpAdapter } from './http-setup.js';

async function bootstrap(config: AppConfig): Promise<void> {
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(logger), {
    // The body parsers are http-setup.ts's (configureBodies), not Nest's defaults.
    bodyParser: false,
    // Start-up lines (modules, mapped routes) wait for the JSON logger instead of Nest's coloured text.
    bufferLogs: true,
  });
  app.useLogger(new PinoNestLogger(logger));
  // server.close() keeps serving keep-alive connections that were busy when it was called: a
  // dashboard polling /health every 2 s would hold one open, and the shutdown with it, for ever.
  // While closing, every answer closes its connection.
  let closing = false;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      if (closing) reply.raw.setHeader('Connection', 'close');
      done();
    });
  configureHttp(app, config);
  const authRequired = await app.get(ApiKeysService).authRequired();
  const refusal = openApiRefusal({ host: config.host, authRequired, allowOpenApi: config.allowOpenApi });
  if (refusal) {
    // Not app.close(): nothing was started yet (that happens in listen), only the database opened.
    await app.get(Database).close();
    console.error(refusal);
    process.exit(1);
  }
  if (!authRequired) {
    Logger.warn(
      isLoopback(config.host)
        ? 'no API key and no AUTH_TOKEN: the API is open to anyone on this machine (npm run keys -- create … to require keys)'
        : `no API key and no AUTH_TOKEN: the API on ${config.host} is open to anyone who can reach it (ALLOW_OPEN_API=true)`,
      'Auth',
    );
  }
  await app.listen(config.port, config.host);
  // Our own signal handling rather than enableShutdownHooks(), which re-raises the signal after
  // closing: a SIGTERM'd scheduler that finished its in-flight dials should exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      closing = true;
      Logger.log(`${signal}: no new dials; waiting for in-flight ones`, 'Shutdown');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
  const base = `http://localhost:${config.port}`;
  Logger.log(`scheduler-api listening on ${base} (dashboard ${base}/, API ${base}/api, docs ${base}/api/docs)`, 'Bootstrap');
  Logger.log(`event log: ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}; Call API: ${config.callApiUrl}`, 'Bootstrap');
}

// Last resort: a promise nobody awaited failed. Node would end the process (and with it every
// dial in flight and every timer); a scheduler that keeps running and says so loudly is better.
// Each such log line is a bug to fix at its source.
process.on('unhandledRejection', (reason) => {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  Logger.error(`unhandled rejection (kept running): ${error.stack ?? error.message}`, undefined, 'Process');
});

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
bootstrap(config).catch((error: unknown) => {
  const e = error as Error;
  console.error(`scheduler-api failed to start: ${e.stack ?? e.message}`);
  process.exit(1);
});
