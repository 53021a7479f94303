import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository';
import { verifyPassword } from './password-hashing';
import { Person, personOf } from './person';

/**
 * Who a sign-in proves to be. The console asks only this, so the bank's SSO (an OIDC provider resolving an ID
 * token to a known person) can replace passwords by binding another implementation to IDENTITY_PROVIDER.
 */
export interface IdentityProvider {
  verify(credentials: { email: string; password: string }): Promise<Person | null>;
}

export const IDENTITY_PROVIDER = Symbol('IdentityProvider');

/** Email and password, checked against the scrypt hash in `users`. */
@Injectable()
export class PasswordIdentityProvider implements IdentityProvider {
  /** Compared against when the email is unknown, so a guess at an account takes as long as a guess at a password. */
  private readonly decoy =
    'scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

  constructor(private readonly users: UsersRepository) {}

  async verify({ email, password }: { email: string; password: string }): Promise<Person | null> {
    const user = await this.users.findByEmail(email.trim().toLowerCase());
    const matches = await verifyPassword(password, user?.password_hash ?? this.decoy);
    return user && matches && !user.disabled_at ? personOf(user) : null;
  }
}
