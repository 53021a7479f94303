import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { problemFor, writeProblem } from '../common/errors/problem';
import { ApiKeysService } from './api-keys.service';
import { grants } from './scopes';

/**
 * The key a request presents: `Bearer <key>`, or Basic auth with the key as password, so that a browser asked by
 * `WWW-Authenticate: Basic` can open a page (the queue dashboard) with an admin key.
 */
function presentedKey(authorization: string | undefined): string | undefined {
  const [scheme, value] = (authorization ?? '').split(' ');
  switch (scheme?.toLowerCase()) {
    case 'bearer':
      return value;
    case 'basic': {
      const decoded = Buffer.from(value ?? '', 'base64').toString('utf8');
      return decoded.slice(decoded.indexOf(':') + 1);
    }
    default:
      return undefined;
  }
}

/** Express middleware for pages outside Nest's routing: admin API keys only, 401 or 403 problem JSON otherwise. */
export function adminOnly(keys: ApiKeysService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    keys
      .authenticate(presentedKey(req.headers.authorization))
      .then((caller) => {
        if (!grants(caller.scopes, 'admin')) {
          throw new DomainError(ErrorCode.Forbidden, 'This page needs an admin API key.');
        }
        next();
      })
      .catch((err: unknown) => {
        if (!(err instanceof DomainError)) return next(err);
        const challenge: Record<string, string> =
          err.code === ErrorCode.Unauthenticated
            ? { 'WWW-Authenticate': 'Basic realm="Aviso", charset="UTF-8"' }
            : {};
        writeProblem(res, problemFor(err), challenge);
      });
  };
}
