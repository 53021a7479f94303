import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { problemFor, writeProblem } from '../common/errors/problem';
import { ProblemFilter } from '../common/errors/problem.filter';
import { ConsoleRequest, PasswordChangeRequired, SignInRequired } from './console-request';
import { langOf, translator } from './i18n';
import { ErrorBanner, Layout } from './views/layout';
import { renderPage, renderFragment } from './render';

/**
 * Failures as a person in a browser should meet them: sent to sign in, to choose a password, or shown the reason
 * on a page (or in the fragment htmx asked for) with the status code the API would give. Anything else is the
 * API's problem JSON, so nothing is hidden and nothing becomes a 500 page of its own.
 */
@Catch()
export class ConsoleFilter implements ExceptionFilter {
  private readonly fallback = new ProblemFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    const htmx = req.headers['hx-request'] === 'true';
    if (exception instanceof SignInRequired || exception instanceof PasswordChangeRequired) {
      const to = exception instanceof SignInRequired ? '/console/sign-in' : '/console/password';
      if (htmx) res.status(401).setHeader('HX-Redirect', to).end();
      else if (req.method === 'GET') res.redirect(303, to);
      else
        writeProblem(
          res,
          problemFor(new DomainError(ErrorCode.Unauthenticated, 'Sign in to the console again.')),
        );
      return;
    }
    if (!(exception instanceof DomainError)) return this.fallback.catch(exception, host);
    const problem = problemFor(exception);
    const ctx = { t: translator(langOf(req)), person: req.person ?? null, csrf: req.csrf ?? null };
    const banner = <ErrorBanner ctx={ctx} message={problem.detail} errors={problem.errors} />;
    res
      .status(problem.status)
      .type('html')
      .send(
        htmx
          ? renderFragment(banner)
          : renderPage(
              <Layout ctx={ctx} title={problem.title}>
                {banner}
              </Layout>,
            ),
      );
  }
}
