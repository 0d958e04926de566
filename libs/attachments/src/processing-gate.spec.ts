import { ProcessingGate } from './processing-gate';

describe('ProcessingGate', () => {
  it('runs at most its slots at once, the rest in arrival order, and frees a slot after a failure', async () => {
    const gate = new ProcessingGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => () =>
      new Promise<number>((resolve, reject) => {
        running++;
        most = Math.max(most, running);
        setTimeout(() => {
          running--;
          order.push(i);
          if (i === 1) reject(new Error('bad file'));
          else resolve(i);
        }, 5);
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => gate.run(job(i))));
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    // Every slot came back: two more run together at once.
    running = 0;
    most = 0;
    await Promise.all([gate.run(job(5)), gate.run(job(6))]);
    expect(most).toBe(2);
  });
});
