import { decide, DEFAULT_POLICY, evolve, initialState } from '../libs/domain/src/index.js';
import { replayProjection } from '../libs/persistence/src/audit/index.js';
import { DispatchClaims } from '../libs/persistence/src/index.js';
import { freshPgStorePerTest } from './support/pg-database.js';

const METADATA = { actor: 'replay-during-claims' };
const CALLS = 600;

// An auditor repairs the projection (replay --apply) while the dispatcher claims due calls in
// batches: the two take their locks in one order, so neither is chosen as a deadlock victim.
describe('replay --apply while batched claims run on PostgreSQL', () => {
  const fresh = freshPgStorePerTest();

  it('repairs the projection while every due call is claimed exactly once, with no deadlock', async () => {
    const { ds, db, store } = fresh.current();
    const now = new Date();
    const scheduledAt = new Date(now.getTime() - 1000).toISOString();
    for (let i = 0; i < CALLS; i += 50) {
      await store.appendAll(
        Array.from({ length: Math.min(50, CALLS - i) }, () => {
          const id = crypto.randomUUID();
          const events = decide({ type: 'ScheduleCall', phoneNumber: '+14155550100', scheduledAt }, initialState(id), now, DEFAULT_POLICY);
          return { streamId: id, expectedVersion: 0, events, options: { metadata: METADATA, state: events.reduce(evolve, initialState(id)) } };
        }),
      );
    }

    const claims = new DispatchClaims(db, store);
    const claimed: string[] = [];
    const claimer = async () => {
      for (;;) {
        const { calls } = await claims.claim({
          now: new Date(),
          limit: 10,
          metadata: METADATA,
          clusterConcurrency: 10_000,
          decide: (state, dueAt) => decide({ type: 'StartDispatch', dueAt }, state, new Date(), DEFAULT_POLICY),
        });
        if (calls.length === 0) return;
        claimed.push(...calls.map((c) => c.state.id));
      }
    };
    const auditor = async () => {
      for (let round = 0; round < 4; round++) {
        // A damaged row, so that each apply really swaps the projection in.
        await ds.query(`UPDATE call_views SET attempts = 99 WHERE id = (SELECT MIN(id) FROM call_views)`);
        await replayProjection(db, { apply: true, pageSize: 100 });
      }
    };
    await Promise.all([claimer(), claimer(), auditor()]);

    expect(claimed).toHaveLength(CALLS);
    expect(new Set(claimed).size).toBe(CALLS);
    await expect(replayProjection(db)).resolves.toMatchObject({ differences: 0, anomalies: 0 });
  }, 120_000);
});
