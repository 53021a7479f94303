import { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { NextFunction, Request, Response, urlencoded } from 'express';
import { Logger } from 'nestjs-pino';
import { adminOnly } from '../access/admin-only';
import { ApiKeysService } from '../access/api-keys.service';
import { AppConfig } from '../config/app-config';
import { problemFor, writeProblem } from '../common/errors/problem';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { ProblemFilter } from '../common/errors/problem.filter';
import { JsonBodyReader } from '../common/http/json-body.reader';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { JobQueue } from '../queues/job-queue';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from '../queues/queue-dashboard';
import { TwilioStatusIntake } from '../webhooks/twilio-status.intake';
import { ApiModule } from './api.module';
import { FastLaneExpressAdapter } from './fast-lane-express.adapter';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** body-parser's refusals: the sender's doing (too large, unreadable, another charset), never a 500. */
function fromFormParser(exception: unknown): DomainError | undefined {
  const err = exception as { type?: string; limit?: number; status?: number; message?: string } | null;
  if (err?.type === 'entity.too.large') {
    return new DomainError(ErrorCode.PayloadTooLarge, `The body exceeds the limit of ${err.limit} bytes.`);
  }
  if (!err?.status || err.status >= 500) return undefined;
  const code = err.status === 415 ? ErrorCode.UnsupportedMediaType : ErrorCode.MalformedBody;
  return new DomainError(code, err.message ?? 'The form could not be read.');
}

/** A body parser whose refusals (too large, malformed) are answered as problem JSON, never passed on as errors. */
function answeringProblems(parser: Middleware): Middleware {
  return (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      const problem = err === undefined ? undefined : fromFormParser(err);
      if (problem) return writeProblem(res, problemFor(problem));
      next(err);
    });
}

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
  // The console's forms arrive URL-encoded and its session in a cookie; the API reads neither. Read here, before
  // the console's guard, which checks the form's CSRF token (console routes are left alone by JsonBodyReader).
  app.use(
    '/console',
    answeringProblems(urlencoded({ extended: false, limit: config.env.MAX_BODY_BYTES })),
    cookieParser(),
  );
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
