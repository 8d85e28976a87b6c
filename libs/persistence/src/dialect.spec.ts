import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { dialectFor } from './dialect.js';

const postgres = dialectFor('postgres');
const sqlite = dialectFor('better-sqlite3');

/** An engine error as TypeORM hands it over: a QueryFailedError wrapping the driver's error. */
function queryFailed(driverError: Error & { code?: string }): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

function driverError(message: string, code?: string): Error & { code?: string } {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('PostgreSQL: is the database unavailable?', () => {
  it.each([
    ['08006 connection failure', queryFailed(driverError('connection failure', '08006'))],
    ['08001 cannot connect', queryFailed(driverError('could not connect', '08001'))],
    ['57P01 admin shutdown', queryFailed(driverError('terminating connection due to administrator command', '57P01'))],
    ['57P02 crash shutdown', queryFailed(driverError('crash shutdown', '57P02'))],
    ['57P03 starting up', driverError('the database system is starting up', '57P03')],
    ['53300 too many connections', driverError('sorry, too many clients already', '53300')],
    ['ECONNREFUSED', driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['ECONNRESET', driverError('read ECONNRESET', 'ECONNRESET')],
    ['ETIMEDOUT', driverError('connect ETIMEDOUT', 'ETIMEDOUT')],
    ['EPIPE', driverError('write EPIPE', 'EPIPE')],
    ['ENOTFOUND', driverError('getaddrinfo ENOTFOUND db', 'ENOTFOUND')],
    ['a released query runner', new QueryRunnerAlreadyReleasedError()],
    // TypeORM's entity manager on a runner whose connection died mid-transaction (seen in a restart).
    ['a released query runner under a manager', new QueryRunnerProviderAlreadyReleasedError()],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['a socket error as the cause', Object.assign(new Error('query failed'), { cause: driverError('x', 'ECONNREFUSED') })],
  ])('%s: yes', (_name, error) => {
    expect(postgres.isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', queryFailed(driverError('duplicate key value violates unique constraint', '23505'))],
    ['a syntax error', queryFailed(driverError('syntax error at or near "SELEC"', '42601'))],
    ['a missing table', queryFailed(driverError('relation "nope" does not exist', '42P01'))],
    ['a serialization failure', queryFailed(driverError('could not serialize access', '40001'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['no error at all', undefined],
    // A code that merely contains a class-08 string must not match.
    ['a code with 08 inside', queryFailed(driverError('numeric value out of range', '22003'))],
  ])('%s: no', (_name, error) => {
    expect(postgres.isUnavailable(error)).toBe(false);
  });
});

describe('SQLite: is the database unavailable?', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN'])('%s: yes', (code) => {
    expect(sqlite.isUnavailable(queryFailed(driverError('database trouble', code)))).toBe(true);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_READONLY'])('%s: no', (code) => {
    expect(sqlite.isUnavailable(queryFailed(driverError('statement trouble', code)))).toBe(false);
  });

  it('does not take PostgreSQL socket words for SQLite trouble', () => {
    expect(sqlite.isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
