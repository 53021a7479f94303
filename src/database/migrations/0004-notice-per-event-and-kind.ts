import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * An event may start two notices: its own, and a `restored` notice when it brings channels back. The key that
 * made intake idempotent per event becomes one per event and kind.
 */
const UP = [
  `ALTER TABLE notices DROP CONSTRAINT notices_event_id_key`,
  `ALTER TABLE notices ADD CONSTRAINT notices_event_kind UNIQUE (event_id, type)`,
];

/** Going back fails while an event has two notices: their restored notices would have to go first. */
const DOWN = [
  `ALTER TABLE notices DROP CONSTRAINT notices_event_kind`,
  `ALTER TABLE notices ADD CONSTRAINT notices_event_id_key UNIQUE (event_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
