import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CopyTransactions } from './copy-transactions';
import { DatabaseHandle, openDatabase } from './database.factory';
import { migrateToLatest } from './migrator';
import { Database } from './schema';

export const DB = Symbol('DB');
export type Db = Kysely<Database>;
/** CopyTransactions on PostgreSQL, null on PGlite. */
export const COPY_TRANSACTIONS = Symbol('COPY_TRANSACTIONS');
const HANDLE = Symbol('DATABASE_HANDLE');

@Global()
@Module({
  providers: [
    {
      provide: HANDLE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DatabaseHandle> => {
        const logger = new Logger('Database');
        const handle = openDatabase(config.env);
        try {
          const applied = await migrateToLatest(handle.db);
          logger.log(
            `Using ${handle.describe}; migrations applied: ${applied.length ? applied.join(', ') : 'none'}`,
          );
        } catch (err) {
          await handle.db.destroy();
          throw err;
        }
        return handle;
      },
    },
    { provide: DB, inject: [HANDLE], useFactory: (handle: DatabaseHandle) => handle.db },
    {
      provide: COPY_TRANSACTIONS,
      inject: [HANDLE],
      useFactory: (handle: DatabaseHandle) => (handle.pool ? new CopyTransactions(handle.pool) : null),
    },
  ],
  exports: [DB, COPY_TRANSACTIONS],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Db) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
