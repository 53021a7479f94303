import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * Four-eyes approval of large notices. A notice is `released` once the senders may have its batches: at once when
 * its audience is within APPROVAL_THRESHOLD, otherwise when someone other than its submitter approves it. Until
 * then it is planned into the ledger (its audience frozen and counted) and waits in `awaiting-approval`.
 */
const UP = [
  `ALTER TABLE notices DROP CONSTRAINT notices_state_check`,
  `ALTER TABLE notices ADD CONSTRAINT notices_state_check
     CHECK (state IN ('planning', 'awaiting-approval', 'sending', 'done', 'cancelled', 'rejected'))`,
  `ALTER TABLE notices ADD COLUMN released boolean NOT NULL DEFAULT false`,
  // Notices already in flight were accepted before there was a gate: they keep going.
  `UPDATE notices SET released = true`,
  `ALTER TABLE notices ADD COLUMN submitted_by text`,
  `ALTER TABLE notices ADD COLUMN decided_by text`,
  `ALTER TABLE notices ADD COLUMN decided_at timestamptz`,
  `ALTER TABLE notices ADD COLUMN rejection text CHECK (rejection IN ('rejected', 'expired', 'superseded'))`,
  `CREATE INDEX notices_awaiting ON notices (planned_at) WHERE state = 'awaiting-approval'`,
];

const DOWN = [
  `DROP INDEX notices_awaiting`,
  `ALTER TABLE notices DROP COLUMN rejection`,
  `ALTER TABLE notices DROP COLUMN decided_at`,
  `ALTER TABLE notices DROP COLUMN decided_by`,
  `ALTER TABLE notices DROP COLUMN submitted_by`,
  `ALTER TABLE notices DROP COLUMN released`,
  `ALTER TABLE notices DROP CONSTRAINT notices_state_check`,
  `ALTER TABLE notices ADD CONSTRAINT notices_state_check
     CHECK (state IN ('planning', 'sending', 'done', 'cancelled'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
