import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';
import { PROBLEM_TYPE_BASE, Problem, problemFor, writeProblem } from './problem';

/** The one place where failures become HTTP responses: RFC 9457 problem JSON for every error. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    writeProblem(res, this.toProblem(exception));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) return problemFor(exception);
    const bodyError = fromBodyParser(exception);
    if (bodyError) return problemFor(bodyError);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const title = HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error';
      return {
        type: 'about:blank',
        title: title[0].toUpperCase() + title.slice(1),
        status,
        detail: exception.message,
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return {
      type: PROBLEM_TYPE_BASE + 'internal',
      title: 'Internal error',
      status: 500,
      detail: 'The request could not be completed; it has been logged.',
    };
  }
}

interface BodyParserError {
  type?: string;
  limit?: number;
  status?: number;
  message?: string;
}

/** Errors raised by the body parsers before a route runs; they are the caller's fault, never a 500. */
export function fromBodyParser(exception: unknown): DomainError | undefined {
  const err = exception as BodyParserError | null;
  switch (err?.type) {
    case 'entity.too.large':
      return new DomainError(ErrorCode.PayloadTooLarge, `The body exceeds the limit of ${err.limit} bytes.`);
    case 'entity.parse.failed':
      return new DomainError(ErrorCode.MalformedBody, `The body is not valid JSON: ${err.message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError(ErrorCode.UnsupportedMediaType, err.message ?? 'Unsupported encoding.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new DomainError(ErrorCode.MalformedBody, err.message ?? 'The body could not be read.');
    default:
      return undefined;
  }
}
