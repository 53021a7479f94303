import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SCOPES_KEY } from '../access/caller';
import { grants, Scope } from '../access/scopes';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { Sessions } from '../people/sessions';
import {
  ConsoleRequest,
  ONE_TIME_PASSWORD_KEY,
  PasswordChangeRequired,
  SESSION_COOKIE,
  SIGNED_OUT_KEY,
  SignInRequired,
} from './console-request';

const SAFE_METHODS = ['GET', 'HEAD'];

/**
 * The console's access rule: a live session, its CSRF token on every write (a form field or, from htmx, a header),
 * a chosen password, and the scopes the route names, checked against the person's role.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: Sessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_OUT_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    const session = typeof token === 'string' ? await this.sessions.find(token) : null;
    if (!session) throw new SignInRequired();
    if (!SAFE_METHODS.includes(req.method) && !sameToken(csrfOf(req), session.csrf)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'The form is out of date or was not sent by the console; reload the page.',
      );
    }
    req.person = session.person;
    req.csrf = session.csrf;
    req.sessionToken = token as string;
    if (
      session.person.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ONE_TIME_PASSWORD_KEY, targets)
    ) {
      throw new PasswordChangeRequired();
    }
    const required = this.reflector.getAllAndOverride<Scope[]>(SCOPES_KEY, targets);
    if (required && !required.some((scope) => grants(session.person.scopes, scope))) {
      throw new DomainError(ErrorCode.Forbidden, `Your role (${session.person.role}) cannot do this.`);
    }
    return true;
  }
}

function csrfOf(req: ConsoleRequest): string {
  const header = req.headers['x-csrf-token'];
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof header === 'string' ? header : typeof field === 'string' ? field : '';
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
