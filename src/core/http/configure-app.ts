import { ValidationPipe } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import multipart from '@fastify/multipart';
import { Logger } from 'nestjs-pino';

import { mountQueueBoard } from '../../modules/system/queue-board';
import { AppConfig } from '../config/app-config';
import { registerRequestLogging } from '../logging/logging.module';
import { Metrics, metricsAuthorized } from '../metrics/metrics';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { validationExceptionFactory } from '../errors/validation';
import { registerInputGuards } from './input-guards';
import { mountWebApp } from './web-app';
import { createOpenApiDocument } from './openapi';

/** Everything the HTTP app needs beyond its modules; shared by main.api.ts and the e2e tests. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  // Uploads (sheet imports, work reports, evidence files); the per-route size limit answers 413.
  await app.register(multipart, {
    limits: {
      fileSize: Math.max(config.imports.maxBytes, config.evidence.maxBytes, config.drafts.maxBytes),
      files: 1,
      fields: 10,
    },
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // The target lets the error messages name each field by its DTO's @Label (never sent to the caller).
      validationError: { target: true },
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  const fastify = app.getHttpAdapter().getInstance();
  registerInputGuards(fastify);
  // Echoes the request id, binds the request's logger, writes the completion line, times the request.
  const metrics = app.get(Metrics);
  registerRequestLogging(fastify, metrics);
  // Prometheus scrapes, outside Nest's JWT guard: open, or bearer METRICS_TOKEN when set (ARCHITECTURE).
  fastify.get('/metrics', async (request, reply) => {
    if (!metricsAuthorized(config.metrics.token, request.headers.authorization)) {
      return reply.code(401).send({ message: '需要指标令牌（METRICS_TOKEN）' });
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
  // Bull Board for admins (it checks tokens itself: it sits outside Nest's guards).
  await mountQueueBoard(app, config);
  if (config.http.swagger) {
    const document = createOpenApiDocument(app);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  }
  // Last: its catch-all route leaves every path above (and Nest's routes) to them.
  await mountWebApp(app, config);
}
