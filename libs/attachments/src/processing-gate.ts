import { availableParallelism } from 'node:os';

/**
 * At most `slots` images decoded at once in this process. A 12-megapixel photo decodes to about
 * 36 MB of pixels, and twenty uploads arriving together would hold twenty of those while sharing
 * the same cores: one per core takes them as fast and holds a few (bench/attachments/RESULTS.md).
 * The others wait in arrival order with only their upload's bytes.
 */
export class ProcessingGate {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots: number) {
    this.free = slots;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** The process's one gate for image work. */
export const imageGate = new ProcessingGate(Math.max(1, availableParallelism()));
