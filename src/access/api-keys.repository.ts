import { Inject, Injectable } from '@nestjs/common';
import { DB, Db } from '../database/database.module';
import { ApiKeyRow } from '../database/schema';

@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async insert(row: { id: string; name: string; secret_hash: string; scopes: string[] }): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  find(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  list(): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  }

  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
