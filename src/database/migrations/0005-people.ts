import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * People who sign in to the console. A session is found by the SHA-256 of its cookie token, so a stolen copy of
 * this table signs nobody in; its CSRF token is compared with the one every console form sends.
 */
const UP = [
  `CREATE TABLE users (
     id uuid PRIMARY KEY,
     email text NOT NULL UNIQUE,
     role text NOT NULL CHECK (role IN ('author', 'approver', 'viewer')),
     password_hash text NOT NULL,
     must_change_password boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     disabled_at timestamptz
   )`,
  `CREATE TABLE sessions (
     token_hash text PRIMARY KEY,
     user_id uuid NOT NULL REFERENCES users (id),
     csrf_token text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz NOT NULL
   )`,
  `CREATE INDEX sessions_expiry ON sessions (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['DROP TABLE sessions', 'DROP TABLE users']);
}
