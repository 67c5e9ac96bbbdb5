/**
 * At most `limit` turns run at once; the rest wait in arrival order. Bolt acknowledges every
 * event before its listener runs, so under a burst the acknowledgements stay fast while the
 * turns queue behind the model instead of all competing for the CPU at once.
 */
export class TurnGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
