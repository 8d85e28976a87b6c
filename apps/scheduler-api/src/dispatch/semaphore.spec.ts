import { Semaphore } from './semaphore.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once', async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 10 }, () => deferred());
    const runs = gates.map((gate) =>
      semaphore.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await gate.promise;
        active--;
      }),
    );
    await tick();
    expect(active).toBe(3);
    for (const gate of gates) {
      gate.resolve();
      await tick();
      expect(active).toBeLessThanOrEqual(3);
    }
    await Promise.all(runs);
    expect(peak).toBe(3);
    expect(active).toBe(0);
  });

  it('starts waiting tasks in the order they asked', async () => {
    const semaphore = new Semaphore(1);
    const order: number[] = [];
    const first = deferred();
    const runs = [semaphore.run(() => first.promise.then(() => order.push(0)))];
    for (let i = 1; i <= 4; i++) runs.push(semaphore.run(() => Promise.resolve(order.push(i))));
    await tick();
    expect(order).toEqual([]);
    first.resolve();
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('hands a freed slot to the next waiter, not to a newcomer that asks in between', async () => {
    const semaphore = new Semaphore(1);
    const gate = deferred();
    let active = 0;
    let peak = 0;
    const held = () => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise(() => undefined); // holds its slot for the rest of the test
    };
    // The first task returns the gate itself, so its slot is freed in the gate's first reaction.
    void semaphore.run(() => gate.promise);
    void semaphore.run(held()); // waits for the slot
    // A newcomer asking in the very next reaction, before the waiter has resumed.
    void gate.promise.then(() => semaphore.run(held()));
    gate.resolve();
    for (let i = 0; i < 5; i++) await tick();
    expect(peak).toBe(1);
    expect(active).toBe(1);
  });

  it('returns each task’s result', async () => {
    const semaphore = new Semaphore(2);
    await expect(Promise.all([1, 2, 3].map((n) => semaphore.run(() => Promise.resolve(n * 10))))).resolves.toEqual([10, 20, 30]);
  });

  it('frees the slot when a task fails, and passes the error on', async () => {
    const semaphore = new Semaphore(1);
    const failing = semaphore.run(() => Promise.reject(new Error('provider down')));
    const next = semaphore.run(() => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('provider down');
    await expect(next).resolves.toBe('ran');
  });

  it('frees the slot when a task throws synchronously', async () => {
    const semaphore = new Semaphore(1);
    const failing = semaphore.run(() => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(semaphore.run(() => Promise.resolve('ran'))).resolves.toBe('ran');
  });
});
