import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { openDatabase } from './database.factory';
import { migrateToLatest } from './migrator';
import { Database } from './schema';

export const DB = Symbol('DB');
export type Db = Kysely<Database>;

@Global()
@Module({
  providers: [
    {
      provide: DB,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Db> => {
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
        return handle.db;
      },
    },
  ],
  exports: [DB],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Db) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
