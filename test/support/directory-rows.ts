import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { Db } from '../../src/database/database.module';
import { TestApi } from './test-api';

/** What the directory tables hold for one customer (channel activity is on the customer row), in a stable order. */
export async function directoryRows(db: Db, id: string) {
  const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  const devices = await db
    .selectFrom('devices')
    .select(['token', 'platform', 'last_seen'])
    .where('customer_id', '=', id)
    .orderBy('token')
    .execute();
  return { customer, devices };
}

export async function countRows(db: Db, table: 'customers' | 'devices'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** (customer, channel) pairs with recorded activity, over the whole directory. */
export async function countChannelUses(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string | null }>`
    SELECT sum((SELECT count(*) FROM jsonb_object_keys(channels))) AS n FROM customers`.execute(db);
  return Number(rows[0].n ?? 0);
}

/** Customers whose `has_device` disagrees with their rows in `devices`: 0 while every write path keeps it. */
export async function hasDeviceMismatches(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM customers c
    WHERE c.has_device <> EXISTS (SELECT 1 FROM devices d WHERE d.customer_id = c.id)`.execute(db);
  return Number(rows[0].n);
}

/** Streams `body` to the import endpoint over a real socket, as an upstream system would (chunked, no length). */
export async function streamImport(
  sut: TestApi,
  authorization: string,
  body: Readable,
): Promise<{ status: number; body: unknown }> {
  const server = sut.app.getHttpServer();
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/customers/import',
        headers: { 'content-type': 'application/x-ndjson', authorization },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}
