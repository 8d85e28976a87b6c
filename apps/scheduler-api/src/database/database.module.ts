import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CallViewRepository, Database, EventStore, openDataSource, SeriesRepository } from '#persistence';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * Opens the event log named by DATABASE_URL (running migrations under the start-up lock, see
 * openDataSource) and provides its repositories. A provider of our own, not
 * TypeOrmModule.forRootAsync: @nestjs/typeorm is not a dependency of this repository (see the
 * README's design notes).
 */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => new Database(await openDataSource(config.databaseUrl, { synchronous: config.sqliteSynchronous })),
    },
    { provide: EventStore, inject: [Database], useFactory: (db: Database) => new EventStore(db) },
    { provide: CallViewRepository, inject: [Database], useFactory: (db: Database) => new CallViewRepository(db) },
    { provide: SeriesRepository, inject: [Database, EventStore], useFactory: (db: Database, store: EventStore) => new SeriesRepository(db, store) },
  ],
  exports: [Database, EventStore, CallViewRepository, SeriesRepository],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
