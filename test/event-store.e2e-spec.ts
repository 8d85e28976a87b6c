import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from './support/event-store.contract.js';

// A real SQLite file (WAL) in a fresh temporary directory for every test.
eventStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'call-scheduler-events-'));
  return {
    url: `sqlite:${join(dir, 'events.db')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
