import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Scope } from './scopes';

/** Who made a request: the API key, by id and name (never the secret). */
export interface ApiCaller {
  keyId: string;
  name: string;
  scopes: Scope[];
}

export const SCOPES_KEY = 'aviso:scopes';
export const PUBLIC_KEY = 'aviso:public';

/** The caller needs at least one of these scopes (`admin` passes every check). */
export const Scopes = (...scopes: Scope[]) => SetMetadata(SCOPES_KEY, scopes);

/** No API key: health, docs, metrics, and endpoints that authenticate by other means (signed callbacks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthenticatedRequest = Request & { caller?: ApiCaller };

export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiCaller => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('Caller used on a route without authentication');
  return caller;
});
