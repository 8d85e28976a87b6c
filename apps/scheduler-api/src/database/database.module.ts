import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import {
  CallViewRepository,
  ClusterRepository,
  Database,
  databaseOptions,
  DispatchClaims,
  EventStore,
  initialiseDataSource,
  isWorthRetryingAtStartup,
  LogAdvances,
  SeriesRepository,
} from '#persistence';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

// A PostgreSQL server that is not there yet at start-up (still starting, failing over) is waited
// for, a line logged each try; any other error (a bad migration, a wrong password) ends the start.
const STARTUP_RETRY_DELAY_MS = 3000;
const STARTUP_RETRIES = 100;

/**
 * Opens the event log named by DATABASE_URL through TypeOrmModule, with our own
 * `dataSourceFactory`: it runs the migrations (never `synchronize`) under the start-up lock before
 * anything reads the schema. Provides the repositories over that DataSource.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const options = databaseOptions(config.databaseUrl, { synchronous: config.sqliteSynchronous });
        return {
          ...options,
          retryAttempts: STARTUP_RETRIES,
          retryDelay: STARTUP_RETRY_DELAY_MS,
          verboseRetryLog: true,
          toRetry: (error: unknown) => isWorthRetryingAtStartup(options, error),
        };
      },
      // Always called with what useFactory returned (the type allows none).
      dataSourceFactory: (options?: DataSourceOptions) => {
        if (!options) throw new Error('TypeOrmModule gave the dataSourceFactory no options');
        return initialiseDataSource(options);
      },
    }),
  ],
  providers: [
    { provide: Database, inject: [DataSource, Clock], useFactory: (dataSource: DataSource, clock: Clock) => new Database(dataSource, () => clock.now()) },
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

  // Before TypeOrmModule destroys the DataSource (its own shutdown hook; close() is a no-op after either).
  async onApplicationShutdown(): Promise<void> {
    this.advances.close();
    await this.db.close();
  }
}
