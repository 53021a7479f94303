import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest, PUBLIC_KEY, SCOPES_KEY } from './caller';
import { grants, Scope } from './scopes';

/** Global guard: every route needs a valid API key and one of its declared scopes, unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
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
    req.caller = caller;
    return true;
  }
}
