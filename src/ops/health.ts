/**
 * Whether this process is alive (/healthz: it answers at all) and ready for work (/readyz):
 * every readiness check passes (the store answers a ping, the Discord shards are connected, the
 * Slack listener is up) and it is not draining for a shutdown. A check that throws, or takes
 * longer than `checkTimeoutMs`, counts as not ready; the answer names each check with true or
 * false and nothing more (no hosts, no errors: those go to the log).
 */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface Readiness {
  ready: boolean;
  draining: boolean;
  checks: Record<string, boolean>;
}

export class Health {
  private readonly checks = new Map<string, ReadinessCheck>();
  private drainingSince: number | undefined;

  constructor(
    private readonly checkTimeoutMs = 2000,
    private readonly onCheckFailed: (name: string, err: unknown) => void = () => {},
  ) {}

  /** Adds a readiness check (a later one of the same name replaces it). */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Marks the process not ready for good (a shutdown began). */
  drain(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async readiness(): Promise<Readiness> {
    const names = [...this.checks.keys()];
    const results = await Promise.all(names.map((name) => this.run(name, this.checks.get(name)!)));
    const checks: Record<string, boolean> = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    return { ready: !this.draining && results.every(Boolean), draining: this.draining, checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.checkTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch (err) {
      this.onCheckFailed(name, err);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
