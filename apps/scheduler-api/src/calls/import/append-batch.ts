import type { AppendRequest, Database, EventStore, StoredEvent } from '#persistence';

/**
 * Many appends in one write transaction (one commit, one turn of the append lock), then each
 * published after the commit as a single append would be. A local batching until the store
 * offers it itself (EventStore.appendAll, branch append-path); only the import uses it.
 */
export async function appendBatch(db: Database, store: EventStore, requests: readonly AppendRequest[]): Promise<StoredEvent[][]> {
  const stored = await db.write(async (manager) => {
    const rows = [];
    for (const request of requests) rows.push(await store.appendInTransaction(manager, request));
    return rows;
  });
  return requests.map((request, i) => store.published(request, stored[i]));
}
