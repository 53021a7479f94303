import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Person } from '../people/person';

export const SESSION_COOKIE = 'aviso_session';

/** A console request once its session is known. */
export type ConsoleRequest = Request & { person?: Person; csrf?: string; sessionToken?: string };

export const SIGNED_OUT_KEY = 'aviso:console-signed-out';
export const ONE_TIME_PASSWORD_KEY = 'aviso:console-one-time-password';

/** Pages anyone may see: signing in, the language switch, the stylesheet and scripts. */
export const SignedOut = () => SetMetadata(SIGNED_OUT_KEY, true);

/** Reachable by someone still holding a one-time password (choosing their own, signing out). */
export const WithOneTimePassword = () => SetMetadata(ONE_TIME_PASSWORD_KEY, true);

/** Nobody is signed in: pages send the browser to the sign-in page. */
export class SignInRequired extends Error {}

/** Signed in with a one-time password: every page but the password page waits for a chosen one. */
export class PasswordChangeRequired extends Error {}
