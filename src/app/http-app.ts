import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { problemFor, writeProblem } from '../common/errors/problem';
import { fromBodyParser, ProblemFilter } from '../common/errors/problem.filter';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { TwilioStatusIntake } from '../webhooks/twilio-status.intake';
import { ApiModule } from './api.module';
import { FastLaneExpressAdapter } from './fast-lane-express.adapter';

/**
 * Builds the HTTP application exactly as production runs it; tests call this too.
 * Nest's own body parser is off: JSON is parsed here with MAX_BODY_BYTES, and NDJSON imports stay a stream.
 */
export async function createHttpApp(
  config: AppConfig,
  options: { withWorker?: boolean } = {},
): Promise<INestApplication> {
  const adapter = new FastLaneExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  adapter.addFastLane(app.get(TwilioStatusIntake).lane);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Responses are API answers, not cacheable documents: no SHA-1 of every body for an ETag nobody sends back.
  app.set('etag', false);
  const parse = json({
    limit: config.env.MAX_BODY_BYTES,
    type: ['application/json', 'application/*+json'],
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      const problem = err === undefined ? undefined : fromBodyParser(err);
      if (problem) return writeProblem(res, problemFor(problem));
      next(err);
    }),
  );
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Aviso')
      .setDescription(
        'Incident notices for bank customers. Every endpoint except /health, /metrics, /docs and the provider ' +
          'callbacks needs `Authorization: Bearer <API key>` with the scope named on the operation.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'API key from `npm run cli -- keys:create`',
      })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
