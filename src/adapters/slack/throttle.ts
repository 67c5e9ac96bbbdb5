/**
 * One reply's Slack calls, in order and at most one sync per `throttleMs`: `soon()` asks for a
 * sync (now, or when the throttle allows; a sync already queued or waiting covers it), `now(arg)`
 * queues one at once (the final one), `stop()` drops a waiting timer. `run` does the sync.
 */
export class ThrottledSync<A> {
  private queue: Promise<void> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSync = 0;

  constructor(
    /** Read at each sync (the owner's options may be set after this is built). */
    private readonly throttleMs: () => number,
    private readonly run: (arg?: A) => Promise<void>,
  ) {}

  soon(): void {
    if (this.timer || this.queued) return;
    const wait = this.lastSync + this.throttleMs() - Date.now();
    if (wait <= 0) void this.now();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.now();
      }, wait);
  }

  now(arg?: A): Promise<void> {
    this.queued = true;
    this.queue = this.queue.then(() => {
      this.queued = false;
      this.lastSync = Date.now();
      return this.run(arg);
    });
    return this.queue;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
