import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the main thread. A checkpoint copies the WAL into the
 * database file and fsyncs it: several milliseconds that, run from the turn that happened to
 * fill the WAL, would stall every conversation. Here a worker thread with its own connection
 * runs a PASSIVE checkpoint (which never blocks readers or the writer) every `intervalMs`.
 *
 * A worker that dies (a crash in the driver, out of memory, terminated) is started again after a
 * delay that doubles from `restartDelayMs` up to `maxRestartDelayMs` while workers keep dying
 * young (one that ran for a minute starts the count again); each death is reported once.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message || err)); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); db.close(); } catch {} parentPort.postMessage('stopped'); }
});
`;

export interface CheckpointerOptions {
  /** Between checkpoints. Default 1000. */
  intervalMs?: number;
  busyTimeoutMs?: number;
  /** A failed checkpoint, or the worker's death and when it restarts: one sentence each, for the log. */
  onError?: (message: string) => void;
  /** First wait before a dead worker is started again. Default 1000. */
  restartDelayMs?: number;
  /** Longest wait between restarts. Default 60000. */
  maxRestartDelayMs?: number;
}

/** A worker that ran this long before dying was healthy: the next restart waits the first delay again. */
const HEALTHY_MS = 60_000;

export class SqliteCheckpointer {
  private worker: Worker;
  private startedAt = 0;
  private lastError: string | undefined;
  private nextDelay: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private alive = false;
  private restartCount = 0;
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(
    private readonly path: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    this.nextDelay = options.restartDelayMs ?? 1000;
    this.worker = this.spawn();
  }

  /** How many times a dead worker was started again. */
  get restarts(): number {
    return this.restartCount;
  }

  private spawn(): Worker {
    const { intervalMs = 1000, busyTimeoutMs = 5000 } = this.options;
    const worker = new Worker(WORKER, { eval: true, workerData: { path: this.path, driver: this.driver, intervalMs, busyTimeoutMs } });
    worker.on('message', (m: string) => {
      if (m !== 'stopped') this.options.onError?.(`SQLite checkpoint failed: ${m}`);
    });
    // Reported with the exit that follows it, as one line.
    worker.on('error', (err) => (this.lastError = err.message));
    worker.on('exit', (code) => this.exited(worker, code));
    worker.unref();
    this.startedAt = Date.now();
    this.lastError = undefined;
    this.alive = true;
    return worker;
  }

  private exited(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.alive = false;
    if (this.stopping) return;
    const first = this.options.restartDelayMs ?? 1000;
    if (Date.now() - this.startedAt >= HEALTHY_MS) this.nextDelay = first;
    const wait = this.nextDelay;
    this.nextDelay = Math.min(wait * 2, this.options.maxRestartDelayMs ?? 60_000);
    const why = this.lastError ? `failed: ${this.lastError}` : `stopped with exit code ${code}`;
    this.options.onError?.(`SQLite checkpoint worker ${why}; starting it again in ${wait} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.worker = this.spawn();
      this.restartCount++;
    }, wait);
    this.restartTimer.unref();
  }

  /** Runs a last checkpoint and ends the worker (and any restart that was waiting). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (!this.alive) return;
    const worker = this.worker;
    const stopped = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage('stop');
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000).unref())]);
    await worker.terminate();
  }
}
