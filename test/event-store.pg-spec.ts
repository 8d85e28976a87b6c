import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eventStoreContract } from './support/event-store.contract.js';

// Trust auth on the local cluster. Start it with:
//   pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
const SERVER_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// A database of its own for every test, so parallel runs and earlier failures never collide.
eventStoreContract('PostgreSQL', async () => {
  const name = `cs_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
});
