import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DB, Db } from '../database/database.module';
import { Database } from '../database/schema';
import { Customer, Device, StoredCustomer } from './customer';

type Executor = Kysely<Database>;

const byId = (a: Customer, b: Customer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A batch as one array per column, the shape `unnest` takes. */
function customerColumns(customers: readonly Customer[]) {
  return {
    ids: customers.map((c) => c.id),
    locales: customers.map((c) => c.locale),
    zones: customers.map((c) => c.timeZone),
    regions: customers.map((c) => c.region ?? null),
    phones: customers.map((c) => c.phone ?? null),
    push: customers.map((c) => c.consent.push),
    sms: customers.map((c) => c.consent.sms),
  };
}

function channelColumns(customers: readonly Customer[]) {
  const columns = { customers: [] as string[], channels: [] as string[], at: [] as string[] };
  for (const c of customers) {
    for (const channel in c.channels) {
      columns.customers.push(c.id);
      columns.channels.push(channel);
      columns.at.push(c.channels[channel]);
    }
  }
  return columns;
}

/** A token listed by two customers goes to the later one in the array. */
function deviceColumns(customers: readonly Customer[]) {
  const owners = new Map<string, { customer: string; device: Device }>();
  for (const c of customers)
    for (const device of c.devices) owners.set(device.token, { customer: c.id, device });
  const tokens = [...owners.keys()].sort();
  const claims = tokens.map((token) => owners.get(token) as { customer: string; device: Device });
  return {
    tokens,
    customers: claims.map((d) => d.customer),
    platforms: claims.map((d) => d.device.platform),
    lastSeen: claims.map((d) => d.device.lastSeen ?? null),
  };
}

const UPDATE_CHANGED_ACTIVITY = sql`
  ON CONFLICT (customer_id, channel_id) DO UPDATE SET last_used_at = excluded.last_used_at
  WHERE customer_channels.last_used_at <> excluded.last_used_at`;

/**
 * All SQL of the customer directory. Bulk writes pass one array per column and `unnest` them: on PostgreSQL
 * 15 that costs a fraction of `jsonb_to_recordset` per row, and an import writes millions of rows.
 */
@Injectable()
export class CustomersRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Upserts customers and replaces their devices and channel activity, in three statements for new
   * customers and six when some already exist, whatever the batch size. Run it inside a transaction.
   * Ids must be unique within the call. A device token moves to the customer that lists it, and to the
   * later one when two in the call list it. Unchanged rows are left alone, so a nightly full re-import
   * does not churn the tables.
   */
  async upsertMany(customers: readonly Customer[], trx: Executor): Promise<void> {
    if (!customers.length) return;
    // Rows go in sorted by key so that concurrent writers lock them in the same order and cannot deadlock.
    const sorted = [...customers].sort(byId);
    const devices = deviceColumns(customers);
    const channels = channelColumns(sorted);
    const c = customerColumns(sorted);
    const inserted = await sql<{ id: string }>`
      INSERT INTO customers (id, locale, time_zone, region, phone, consent_push, consent_sms)
      SELECT * FROM unnest(${c.ids}::text[], ${c.locales}::text[], ${c.zones}::text[], ${c.regions}::text[],
        ${c.phones}::text[], ${c.push}::boolean[], ${c.sms}::boolean[])
      ON CONFLICT (id) DO NOTHING
      RETURNING id`.execute(trx);
    // Only customers that existed can have rows to replace or conflict; a first import skips that work.
    const fresh = new Set(inserted.rows.map((row) => row.id));
    const existing = fresh.size < sorted.length ? sorted.filter((customer) => !fresh.has(customer.id)) : [];
    if (existing.length) await this.replaceExisting(existing, channels, devices.tokens, trx);
    await sql`
      INSERT INTO customer_channels (customer_id, channel_id, last_used_at)
      SELECT * FROM unnest(${channels.customers}::text[], ${channels.channels}::text[], ${channels.at}::timestamptz[])
      ${existing.length ? UPDATE_CHANGED_ACTIVITY : sql``}`.execute(trx);
    await sql`
      INSERT INTO devices (token, customer_id, platform, last_seen)
      SELECT * FROM unnest(${devices.tokens}::text[], ${devices.customers}::text[], ${devices.platforms}::text[],
        ${devices.lastSeen}::timestamptz[])
      ON CONFLICT (token) DO UPDATE SET
        customer_id = excluded.customer_id, platform = excluded.platform, last_seen = excluded.last_seen
      WHERE (devices.customer_id, devices.platform, devices.last_seen)
        IS DISTINCT FROM (excluded.customer_id, excluded.platform, excluded.last_seen)`.execute(trx);
  }

  /** Updates customers that already existed and drops their channel rows and devices absent from the batch. */
  private async replaceExisting(
    existing: Customer[],
    channels: ReturnType<typeof channelColumns>,
    tokens: string[],
    trx: Executor,
  ): Promise<void> {
    const c = customerColumns(existing);
    await sql`
      UPDATE customers SET
        locale = v.locale, time_zone = v.time_zone, region = v.region, phone = v.phone,
        consent_push = v.consent_push, consent_sms = v.consent_sms, updated_at = now()
      FROM unnest(${c.ids}::text[], ${c.locales}::text[], ${c.zones}::text[], ${c.regions}::text[],
        ${c.phones}::text[], ${c.push}::boolean[], ${c.sms}::boolean[])
        AS v(id, locale, time_zone, region, phone, consent_push, consent_sms)
      WHERE customers.id = v.id`.execute(trx);
    await sql`
      DELETE FROM customer_channels
      WHERE customer_id = ANY(${c.ids}::text[])
        AND (customer_id, channel_id) NOT IN (
          SELECT * FROM unnest(${channels.customers}::text[], ${channels.channels}::text[]))`.execute(trx);
    await sql`
      DELETE FROM devices
      WHERE customer_id = ANY(${c.ids}::text[]) AND token NOT IN (SELECT unnest(${tokens}::text[]))`.execute(
      trx,
    );
  }

  /** Removes the customer; their devices and channel rows go with them (ON DELETE CASCADE). */
  async delete(id: string, trx: Executor = this.db): Promise<boolean> {
    const result = await trx.deleteFrom('customers').where('id', '=', id).executeTakeFirst();
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
    const channels = await trx
      .selectFrom('customer_channels')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('channel_id')
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
      channels: Object.fromEntries(channels.map((c) => [c.channel_id, c.last_used_at.toISOString()])),
      updatedAt: row.updated_at.toISOString(),
    };
    if (row.region) customer.region = row.region;
    if (row.phone) customer.phone = row.phone;
    return customer;
  }
}
