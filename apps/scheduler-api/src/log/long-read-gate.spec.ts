import { type HttpException } from '@nestjs/common';
import { LongReadGate } from './long-read-gate.js';

const res = () => {
  const headers: Record<string, string> = {};
  return { headers, header: (name: string, value: string) => void (headers[name] = value) };
};

function statusOf(fn: () => unknown): number | null {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as HttpException).getStatus();
  }
}

describe('LongReadGate', () => {
  const limits = { active: 2, queued: 1, perClient: 2, retryAfterSeconds: 3 };

  it('refuses a client beyond its own limit with 429 and Retry-After, others still get in', () => {
    const gate = new LongReadGate(limits);
    gate.admit('a', res());
    gate.admit('a', res());
    const refused = res();
    expect(statusOf(() => gate.admit('a', refused))).toBe(429);
    expect(refused.headers['Retry-After']).toBe('3');
    expect(statusOf(() => gate.admit('b', res()))).toBeNull();
  });

  it('queues beyond the active reads, answers 503 when the queue is full, and hands a freed slot to the queue in order', async () => {
    const gate = new LongReadGate(limits);
    const [a, b, c] = ['a', 'b', 'c'].map((client) => gate.admit(client, res()));
    const refused = res();
    expect(statusOf(() => gate.admit('d', refused))).toBe(503);
    expect(refused.headers['Retry-After']).toBe('3');
    expect([a.isStarted, b.isStarted, c.isStarted]).toEqual([true, true, false]);
    a.release();
    a.release(); // a second release changes nothing
    await c.started;
    expect(gate.load).toEqual({ active: 2, queued: 0 });
    b.release();
    c.release();
    expect(gate.load).toEqual({ active: 0, queued: 0 });
  });

  it('frees the queue place, not a slot, when a waiting read gives up', () => {
    const gate = new LongReadGate(limits);
    const [a, , c] = ['a', 'b', 'c'].map((client) => gate.admit(client, res()));
    c.release();
    expect(gate.load).toEqual({ active: 2, queued: 0 });
    a.release();
    expect(gate.load).toEqual({ active: 1, queued: 0 });
    // The client's count is back too.
    gate.admit('c', res());
    gate.admit('c', res());
  });

  it('runs pages one at a time with a macrotask before each, so a due timer runs between two pages', async () => {
    const gate = new LongReadGate(limits);
    const order: string[] = [];
    let inside = 0;
    const page = (name: string) =>
      gate.page(async () => {
        inside += 1;
        order.push(`${name}${inside}`);
        // Set while the first page runs (not before it: under load the loop may reach a timer set
        // earlier before the gate's first turn), and due by the time that page ends.
        if (name === 'a') setTimeout(() => order.push('timer'), 0);
        // Blocks like a better-sqlite3 read: the timer below is due by the time this ends.
        const until = performance.now() + 3;
        while (performance.now() < until);
        await Promise.resolve();
        inside -= 1;
      });
    const pages = [page('a'), page('b')];
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all(pages);
    // Never two pages at once ("a1", "b1": each alone), and the timer got in between them.
    expect(order).toEqual(['a1', 'timer', 'b1']);
  });
});
