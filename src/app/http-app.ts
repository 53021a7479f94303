import { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { adminOnly } from '../access/admin-only';
import { ApiKeysService } from '../access/api-keys.service';
import { AppConfig } from '../config/app-config';
import { ProblemFilter } from '../common/errors/problem.filter';
import { JsonBodyReader } from '../common/http/json-body.reader';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { JobQueue } from '../queues/job-queue';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from '../queues/queue-dashboard';
import { TwilioStatusIntake } from '../webhooks/twilio-status.intake';
import { ApiModule } from './api.module';
import { FastLaneExpressAdapter } from './fast-lane-express.adapter';

/**
 * Builds the HTTP application exactly as production runs it; tests call this too.
 * Nest's own body parser is off: JsonBodyReader reads JSON after authentication, and NDJSON imports stay a stream.
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
  app.use(QUEUE_DASHBOARD_PATH, adminOnly(app.get(ApiKeysService)), queueDashboard(app.get(JobQueue)));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalInterceptors(new JsonBodyReader(app.get(Reflector), config.env.MAX_BODY_BYTES));
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
