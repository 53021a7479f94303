import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DB, Db } from '../database/database.module';
import { Person, personOf } from './person';

/** A working shift: after this the person signs in again. */
const SESSION_HOURS = 12;

export interface OpenedSession {
  /** Goes in the cookie; only its hash is stored. */
  token: string;
  csrf: string;
  expiresAt: Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Console sessions, kept in the database so that every API process recognises them and sign-out is immediate. */
@Injectable()
export class Sessions {
  constructor(@Inject(DB) private readonly db: Db) {}

  async open(person: Person): Promise<OpenedSession> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600 * 1000);
    // Each sign-in clears the person's expired sessions, so the table holds about one row per person and device.
    await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', person.userId)
      .where('expires_at', '<=', new Date())
      .execute();
    await this.db
      .insertInto('sessions')
      .values({ token_hash: hashOf(token), user_id: person.userId, csrf_token: csrf, expires_at: expiresAt })
      .execute();
    return { token, csrf, expiresAt };
  }

  /** The person and the session's CSRF token, or null for an unknown, expired or disabled one. */
  async find(token: string): Promise<{ person: Person; csrf: string } | null> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select('s.csrf_token')
      .where('s.token_hash', '=', hashOf(token))
      .where('s.expires_at', '>', new Date())
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    return row ? { person: personOf(row), csrf: row.csrf_token } : null;
  }

  async close(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', hashOf(token)).execute();
  }
}
