import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './domain-error';
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
