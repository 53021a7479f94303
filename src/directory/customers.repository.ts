import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { CopyIn } from '../database/copy-transactions';
import { DB, Db } from '../database/database.module';
import { Database } from '../database/schema';
import { maskToken } from '../common/logging/mask';
import { Customer, Device, StoredCustomer } from './customer';
import { lockDirectory, lockStagedBatch } from './directory-locks';
import { activityOf, CustomerBatch, customerBatch } from './customer-rows';

type Executor = Kysely<Database>;

/** Audit actors for changes a provider's answer made to a customer. */
const PUSH_PROVIDER = 'provider:fcm';
const SMS_PROVIDER = 'provider:twilio';

const CUSTOMER_COLUMNS =
  'id, locale, time_zone, region, phone, consent_push, consent_sms, channels, has_device';
const DEVICE_COLUMNS = 'token, customer_id, platform, last_seen';

/**
 * Per-connection tables a batch is staged in before it is merged. Temporary, so unlogged and private to the
 * transaction's connection; emptied at each commit.
 */
const CREATE_STAGING = sql`DO $$ BEGIN
  IF to_regclass('pg_temp.staged_customers') IS NULL THEN
    CREATE TEMP TABLE staged_customers (LIKE customers INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE staged_devices (LIKE devices) ON COMMIT DELETE ROWS;
  END IF;
END $$`;

/** Field `i` of a COPY text row split on tabs, decoded as customer-rows.ts writes them (see there). */
const field = (i: number) => sql.raw(`replace(nullif(f[${i}], '\\N'), '\\\\', '\\')`);
const copyFields = (rows: string) =>
  sql`(SELECT string_to_array(line, E'\\t') AS f FROM unnest(string_to_array(rtrim(${rows}, E'\\n'), E'\\n')) AS line)`;

/**
 * All SQL of the customer directory. Bulk writes stage a batch as COPY rows (see customer-rows.ts) and merge it
 * from there in a few statements, whatever the batch size.
 */
@Injectable()
export class CustomersRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Upserts these customers (see `upsert`); run it inside a transaction. Ids must be unique within the call. */
  upsertMany(customers: readonly Customer[], trx: Executor): Promise<void> {
    return this.upsert(customerBatch(customers), trx);
  }

  /**
   * Upserts customers and replaces their devices and channel activity: one statement when every customer and token
   * is new, and a few more when some already exist. Run it inside a transaction; with `copyIn` (PostgreSQL) the
   * batch is staged by COPY, otherwise by one INSERT. A device token moves to the customer that lists it, and to the
   * later one when two in the batch list it; a previous owner left without devices loses `has_device`.
   */
  async upsert(batch: CustomerBatch, trx: Executor, copyIn?: CopyIn): Promise<void> {
    if (!batch.customers) return;
    await this.stage(batch, trx, copyIn);
    await lockStagedBatch(trx, batch.tokenBuckets, batch.customerBuckets);
    // Both inserts skip rows that exist; the statement answers which customers it inserted when some existed (only
    // those can have rows to replace) and whether any token was already known.
    const { rows } = await sql<{ inserted: string[] | null; devices_added: number }>`
      WITH inserted AS (
        INSERT INTO customers (${sql.raw(CUSTOMER_COLUMNS)})
        SELECT ${sql.raw(CUSTOMER_COLUMNS)} FROM staged_customers
        ON CONFLICT (id) DO NOTHING
        RETURNING id
      ), added AS (
        INSERT INTO devices (${sql.raw(DEVICE_COLUMNS)})
        SELECT ${sql.raw(DEVICE_COLUMNS)} FROM staged_devices
        ON CONFLICT (token) DO NOTHING
        RETURNING 1
      )
      SELECT
        CASE WHEN (SELECT count(*) FROM inserted) < ${batch.customers} THEN ARRAY(SELECT id FROM inserted) END
          AS inserted,
        (SELECT count(*) FROM added)::int AS devices_added`.execute(trx);
    const { inserted, devices_added } = rows[0];
    if (inserted) await this.replaceExisting(inserted, trx);
    if (devices_added < batch.devices) await this.updateKnownTokens(trx);
  }

  /** Stages the batch in rows sorted by key: the merge keeps that order, the one concurrent writers lock rows in. */
  private async stage(batch: CustomerBatch, trx: Executor, copyIn?: CopyIn): Promise<void> {
    await CREATE_STAGING.execute(trx);
    if (copyIn) {
      await copyIn(`COPY staged_customers (${CUSTOMER_COLUMNS}) FROM STDIN`, batch.customerRows);
      if (batch.devices) await copyIn(`COPY staged_devices (${DEVICE_COLUMNS}) FROM STDIN`, batch.deviceRows);
      return;
    }
    await sql`
      INSERT INTO staged_customers (${sql.raw(CUSTOMER_COLUMNS)})
      SELECT ${field(1)}, ${field(2)}, ${field(3)}, ${field(4)}, ${field(5)}, ${field(6)}::boolean,
        ${field(7)}::boolean, ${field(8)}::jsonb, ${field(9)}::boolean
      FROM ${copyFields(batch.customerRows)} AS rows`.execute(trx);
    if (batch.devices)
      await sql`
        INSERT INTO staged_devices (${sql.raw(DEVICE_COLUMNS)})
        SELECT ${field(1)}, ${field(2)}, ${field(3)}, ${field(4)}::timestamptz
        FROM ${copyFields(batch.deviceRows)} AS rows`.execute(trx);
  }

  /** Updates the staged customers that already existed and drops their devices absent from the batch. */
  private async replaceExisting(inserted: string[], trx: Executor): Promise<void> {
    const existing = sql`(SELECT * FROM staged_customers WHERE id NOT IN (SELECT unnest(${inserted}::text[])))`;
    await sql`
      UPDATE customers SET
        locale = v.locale, time_zone = v.time_zone, region = v.region, phone = v.phone,
        consent_push = v.consent_push, consent_sms = v.consent_sms, channels = v.channels,
        has_device = v.has_device, updated_at = now()
      FROM ${existing} AS v
      WHERE customers.id = v.id`.execute(trx);
    await sql`
      DELETE FROM devices
      WHERE customer_id IN (SELECT id FROM ${existing} AS v)
        AND token NOT IN (SELECT token FROM staged_devices)`.execute(trx);
  }

  /**
   * Tokens the directory already knew take the batch's owner, platform and last-seen. A customer outside the
   * batch whose token moved away may be left without devices, so theirs is recomputed.
   */
  private async updateKnownTokens(trx: Executor) {
    // `previous` is a second scan of devices, so it still shows each row as it was before this statement.
    const { rows } = await sql<{ loser: string }>`
      WITH moved AS (
        UPDATE devices d SET customer_id = v.customer_id, platform = v.platform, last_seen = v.last_seen
        FROM staged_devices v
        JOIN devices previous ON previous.token = v.token
        WHERE d.token = v.token
          AND (d.customer_id, d.platform, d.last_seen) IS DISTINCT FROM (v.customer_id, v.platform, v.last_seen)
        RETURNING previous.customer_id AS previous_owner)
      SELECT DISTINCT previous_owner AS loser FROM moved
      WHERE previous_owner NOT IN (SELECT id FROM staged_customers)`.execute(trx);
    if (!rows.length) return;
    await sql`
      UPDATE customers c SET has_device = false
      WHERE c.id = ANY(${rows.map((r) => r.loser)}::text[]) AND c.has_device
        AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.customer_id = c.id)`.execute(trx);
  }

  /**
   * Removes the customer and their devices; run it inside a transaction. The devices go second, in a statement
   * of their own, so that it also sees a device a concurrent upsert of this customer committed meanwhile.
   */
  async delete(id: string, trx: Executor): Promise<boolean> {
    await lockDirectory(trx, [], [id]);
    const result = await trx.deleteFrom('customers').where('id', '=', id).executeTakeFirst();
    await trx.deleteFrom('devices').where('customer_id', '=', id).execute();
    return result.numDeletedRows > 0n;
  }

  async find(id: string, trx: Executor = this.db): Promise<StoredCustomer | undefined> {
    const row = await trx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const devices = await trx
      .selectFrom('devices')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('token')
      .execute();
    const customer: StoredCustomer = {
      id: row.id,
      locale: row.locale,
      timeZone: row.time_zone,
      devices: devices.map((d) => {
        const device: Device = { token: d.token, platform: d.platform };
        if (d.last_seen) device.lastSeen = d.last_seen.toISOString();
        return device;
      }),
      consent: { push: row.consent_push, sms: row.consent_sms },
      channels: activityOf(row.channels),
      updatedAt: row.updated_at.toISOString(),
    };
    if (row.region) customer.region = row.region;
    if (row.phone) customer.phone = row.phone;
    return customer;
  }

  /**
   * Removes devices the push provider called dead, with one audit entry per device actually removed (a batch run
   * again removes nothing more and records nothing more). An owner left without devices loses `has_device`, so
   * audiences stop counting on push.
   */
  async removeDevices(noticeId: string, dead: { token: string; code: string }[]): Promise<void> {
    if (!dead.length) return;
    const tokens = dead.map((d) => d.token);
    const details = dead.map((d) =>
      JSON.stringify({ noticeId, device: maskToken(d.token), providerCode: d.code }),
    );
    await this.db.transaction().execute(async (trx) => {
      await lockDirectory(trx, tokens, []);
      // The statement's snapshot still shows the deleted rows, so the remaining devices exclude them by token.
      await sql`
        WITH gone AS (DELETE FROM devices WHERE token = ANY(${tokens}::text[]) RETURNING token, customer_id),
        logged AS (
          INSERT INTO audit_log (actor, action, target, detail)
          SELECT ${PUSH_PROVIDER}, 'device.prune', g.customer_id, d.detail
          FROM gone g JOIN unnest(${tokens}::text[], ${details}::jsonb[]) AS d (token, detail) USING (token))
        UPDATE customers c SET has_device = false
        WHERE c.id IN (SELECT customer_id FROM gone)
          AND NOT EXISTS (
            SELECT 1 FROM devices d WHERE d.customer_id = c.id AND d.token <> ALL(${tokens}::text[]))`.execute(
        trx,
      );
    });
  }

  /**
   * The customer replied STOP (Twilio 21610): no more SMS to them until the bank's systems say otherwise. Audited
   * once per customer whose consent this turned off, naming the notice whose send was refused.
   */
  async revokeSmsConsent(noticeId: string, customerIds: string[], providerCode: string): Promise<void> {
    if (!customerIds.length) return;
    const detail = JSON.stringify({ noticeId, providerCode });
    await this.db.transaction().execute(async (trx) => {
      await lockDirectory(trx, [], customerIds);
      await sql`
        WITH revoked AS (
          UPDATE customers SET consent_sms = false
          WHERE id = ANY(${customerIds}::text[]) AND consent_sms RETURNING id)
        INSERT INTO audit_log (actor, action, target, detail)
        SELECT ${SMS_PROVIDER}, 'customer.sms-consent.revoke', id, ${detail}::jsonb FROM revoked`.execute(
        trx,
      );
    });
  }

  /**
   * A customer replied STOP or START by SMS: consent for everyone with that number (family members may share one),
   * audited like a 21610 once per customer whose consent this changed, with the reply as evidence.
   */
  async setSmsConsentByPhone(
    phone: string,
    consent: boolean,
    reply: { keyword: string; messageSid: string },
  ): Promise<string[]> {
    const detail = JSON.stringify({ source: 'sms-reply', ...reply });
    const action = consent ? 'customer.sms-consent.restore' : 'customer.sms-consent.revoke';
    return this.db.transaction().execute(async (trx) => {
      const owners = await trx.selectFrom('customers').select('id').where('phone', '=', phone).execute();
      const ids = owners.map((o) => o.id);
      if (!ids.length) return [];
      await lockDirectory(trx, [], ids);
      const { rows } = await sql<{ target: string }>`
        WITH changed AS (
          UPDATE customers SET consent_sms = ${consent}, updated_at = now()
          WHERE id = ANY(${ids}::text[]) AND phone = ${phone} AND consent_sms <> ${consent} RETURNING id)
        INSERT INTO audit_log (actor, action, target, detail)
        SELECT ${SMS_PROVIDER}, ${action}, id, ${detail}::jsonb FROM changed
        RETURNING target`.execute(trx);
      return rows.map((r) => r.target);
    });
  }
}
