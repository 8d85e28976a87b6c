import { GroupCommit, type Outcome } from './group-commit.js';

/** A batch runner that records each batch's size and runs the jobs one after another, as the database does. */
function recorder(fail?: Error) {
  const batches: number[] = [];
  let release: (() => void) | null = null;
  const runBatch = async (work: readonly ((context: string) => Promise<unknown>)[]): Promise<Outcome<unknown>[]> => {
    batches.push(work.length);
    // The first batch is "being written" until the test lets it go, so others queue up meanwhile.
    if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    if (fail) throw fail;
    const outcomes: Outcome<unknown>[] = [];
    for (const job of work) {
      try {
        outcomes.push({ ok: true, value: await job('tx') });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  };
  return { batches, runBatch, release: () => release?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('runs the first write alone and everything that arrives meanwhile as one next batch', async () => {
    const r = recorder();
    const group = new GroupCommit<string>(r.runBatch);
    const first = group.submit(() => Promise.resolve('first'));
    await tick();
    const rest = Array.from({ length: 5 }, (_, i) => group.submit((tx) => Promise.resolve(`${tx}-${i}`)));
    r.release();
    await expect(first).resolves.toBe('first');
    await expect(Promise.all(rest)).resolves.toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3', 'tx-4']);
    expect(r.batches).toEqual([1, 5]);
  });

  it('gathers writes that arrive in the same turn of the event loop even when a batch is written at once (better-sqlite3 is synchronous)', async () => {
    const batches: number[] = [];
    const group = new GroupCommit<string>(async (work) => {
      batches.push(work.length);
      return Promise.all(work.map(async (job) => ({ ok: true as const, value: await job('tx') })));
    });
    // As requests read in one I/O phase: each submits after a few awaits of its own (validation, look-ups).
    const jobs = Array.from({ length: 4 }, async (_, i) => {
      for (let k = 0; k < i * 3; k++) await Promise.resolve();
      return group.submit(() => Promise.resolve(i));
    });
    await expect(Promise.all(jobs)).resolves.toEqual([0, 1, 2, 3]);
    expect(batches).toEqual([4]);
  });

  it('fails only the job that threw; the others of its batch succeed', async () => {
    const r = recorder();
    const group = new GroupCommit<string>(r.runBatch);
    const first = group.submit(() => Promise.resolve(1));
    await tick();
    const results = Promise.allSettled([
      group.submit(() => Promise.resolve(2)),
      group.submit(() => Promise.reject(new Error('stale version'))),
      group.submit(() => Promise.resolve(4)),
    ]);
    r.release();
    await first;
    expect((await results).map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).toEqual([2, 'stale version', 4]);
  });

  it('rejects every job of a batch whose commit failed, and still answers later writes (no hang)', async () => {
    const failing = recorder(new Error('SQLITE_BUSY'));
    const group = new GroupCommit<string>(failing.runBatch);
    const jobs = [group.submit(() => Promise.resolve(1)), group.submit(() => Promise.resolve(2))];
    await tick();
    failing.release();
    for (const job of jobs) await expect(job).rejects.toThrow('SQLITE_BUSY');
    await expect(group.submit(() => Promise.resolve(3))).rejects.toThrow('SQLITE_BUSY');
  });

  it('takes the batch only once it holds its turn: work arriving while it waits joins it', async () => {
    const batches: number[] = [];
    let letIn: (() => void) | null = null;
    const readerDone = new Promise<void>((resolve) => (letIn = resolve));
    // A reader holds the connection's turn until the test lets it go.
    const turn = async (fn: () => Promise<void>) => {
      await readerDone;
      await fn();
    };
    const group = new GroupCommit<string>((work) => {
      batches.push(work.length);
      return Promise.all(work.map(async (job) => ({ ok: true as const, value: await job('tx') })));
    }, turn);
    const jobs = [group.submit(() => Promise.resolve(1))];
    await tick();
    jobs.push(
      group.submit(() => Promise.resolve(2)),
      group.submit(() => Promise.resolve(3)),
    );
    letIn!();
    await expect(Promise.all(jobs)).resolves.toEqual([1, 2, 3]);
    expect(batches).toEqual([3]);
  });

  it('caps a batch at 256 writes', async () => {
    const r = recorder();
    const group = new GroupCommit<string>(r.runBatch);
    const first = group.submit(() => Promise.resolve(0));
    await tick();
    const many = Array.from({ length: 300 }, (_, i) => group.submit(() => Promise.resolve(i)));
    r.release();
    await Promise.all([first, ...many]);
    expect(r.batches).toEqual([1, 256, 44]);
  });
});
