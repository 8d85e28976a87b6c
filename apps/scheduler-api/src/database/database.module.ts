import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CallViewRepository, ClusterRepository, Database, DispatchClaims, EventStore, LogAdvances, openDataSource, SeriesRepository } from '#persistence';
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
    { provide: ClusterRepository, inject: [Database], useFactory: (db: Database) => new ClusterRepository(db) },
    { provide: DispatchClaims, inject: [Database, EventStore], useFactory: (db: Database, store: EventStore) => new DispatchClaims(db, store) },
    { provide: SeriesRepository, inject: [Database, EventStore], useFactory: (db: Database, store: EventStore) => new SeriesRepository(db, store) },
    // "The log advanced to N", every instance's appends (LISTEN on PostgreSQL): wakes the live feed and the dispatcher.
    {
      provide: LogAdvances,
      inject: [Database, EventStore],
      useFactory: (db: Database, store: EventStore) => new LogAdvances(db, store, new Logger(LogAdvances.name)),
    },
  ],
  exports: [Database, EventStore, CallViewRepository, SeriesRepository, LogAdvances, ClusterRepository, DispatchClaims],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly db: Database,
    private readonly advances: LogAdvances,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.advances.close();
    await this.db.close();
  }
}
