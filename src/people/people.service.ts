import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { isUniqueViolation } from '../database/one-statement';
import { hashPassword, oneTimePassword } from './password-hashing';
import { Person } from './person';
import { isRole, ROLES } from './roles';
import { UsersRepository } from './users.repository';

/** Shortest password a person may choose: a passphrase, not a PIN. */
export const MIN_PASSWORD_LENGTH = 12;

/** Console accounts: created with a one-time password, which their owner replaces at first sign-in. */
@Injectable()
export class People {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditLog,
  ) {}

  async create(email: string, role: string, actor: string): Promise<{ id: string; oneTimePassword: string }> {
    const normalized = email.trim().toLowerCase();
    const errors = [
      ...(isEmail(normalized) ? [] : [{ field: 'email', reason: 'must be an email address' }]),
      ...(isRole(role) ? [] : [{ field: 'role', reason: `must be one of ${ROLES.join(', ')}` }]),
    ];
    if (errors.length || !isRole(role)) throw DomainError.validation(errors);
    const id = randomUUID();
    const password = oneTimePassword();
    try {
      await this.users.insert({ id, email: normalized, role, password_hash: await hashPassword(password) });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new DomainError(ErrorCode.Conflict, `A person with the email ${normalized} already exists.`, [
        { field: 'email', reason: 'already used' },
      ]);
    }
    await this.audit.record(actor, {
      action: 'person.create',
      target: `user:${id}`,
      detail: { email: normalized, role },
    });
    return { id, oneTimePassword: password };
  }

  async changePassword(person: Person, password: string, confirmation: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw DomainError.validation([
        { field: 'password', reason: `must have at least ${MIN_PASSWORD_LENGTH} characters` },
      ]);
    }
    if (password !== confirmation) {
      throw DomainError.validation([{ field: 'confirmation', reason: 'does not match the password' }]);
    }
    await this.users.setPassword(person.userId, await hashPassword(password));
    await this.audit.record(person, { action: 'person.change-password', target: person.id });
  }

  count(): Promise<number> {
    return this.users.count();
  }
}
