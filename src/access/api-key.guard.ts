import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest, PUBLIC_KEY, SCOPES_KEY } from './caller';
import { KeyRateLimit } from './key-rate-limit';
import { grants, Scope } from './scopes';

/**
 * Global guard: every route needs a valid API key and one of its declared scopes, unless marked @Public(); each key
 * is held to its request rate. It runs before the body is read, so a refused request costs no parsing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly rates: KeyRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<Scope[]>(SCOPES_KEY, targets) ?? ['admin'];
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    const caller = await this.keys.authenticate(scheme?.toLowerCase() === 'bearer' ? token : undefined);
    if (!required.some((scope) => grants(caller.scopes, scope))) {
      throw new DomainError(ErrorCode.Forbidden, `This API key lacks the scope ${required.join(' or ')}.`);
    }
    const wait = await this.rates.waitFor(caller.id);
    if (wait > 0) {
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new DomainError(ErrorCode.TooManyRequests, `This API key is over its rate; retry in ${wait} s.`);
    }
    req.caller = caller;
    return true;
  }
}
