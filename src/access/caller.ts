import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Scope } from './scopes';

/** Who made a request: an API key (`key:<id>`) or a person signed in to the console (`user:<id>`), never a secret. */
export interface ApiCaller {
  id: string;
  name: string;
  scopes: Scope[];
}

/** How a caller is named in the audit log and on what they submitted: `key:<id>:<name>` or `user:<id>:<email>`. */
export function actorOf(caller: ApiCaller): string {
  return `${caller.id}:${caller.name}`;
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
