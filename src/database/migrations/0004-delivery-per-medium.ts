import { Kysely } from 'kysely';
import { runStatements } from './run-statements';

/**
 * One delivery per customer per notice *per medium*: a critical notice goes by push and by SMS, and the primary key
 * keeps "nobody is told twice on one medium" provable by the database, as the old key did per notice.
 */
const UP = [
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_pkey`,
  `ALTER TABLE deliveries ADD PRIMARY KEY (notice_id, customer_id, medium)`,
];

/** Going back needs at most one row per customer per notice: the SMS rows of two-medium deliveries go. */
const DOWN = [
  `DELETE FROM deliveries d WHERE d.medium = 'sms'
     AND EXISTS (SELECT 1 FROM deliveries p WHERE p.notice_id = d.notice_id AND p.customer_id = d.customer_id
                 AND p.medium = 'push')`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_pkey`,
  `ALTER TABLE deliveries ADD PRIMARY KEY (notice_id, customer_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, UP);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, DOWN);
}
