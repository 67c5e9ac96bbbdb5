import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the main thread. A checkpoint copies the WAL into the
 * database file and fsyncs it: several milliseconds that, run from the turn that happened to
 * fill the WAL, would stall every conversation. Here a worker thread with its own connection
 * runs a PASSIVE checkpoint (which never blocks readers or the writer) every `intervalMs`.
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

export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(path: string, options: { intervalMs?: number; busyTimeoutMs?: number; onError?: (message: string) => void } = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { path, driver, intervalMs: options.intervalMs ?? 1000, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
    });
    this.worker.on('message', (m: string) => {
      if (m !== 'stopped') options.onError?.(`SQLite checkpoint failed: ${m}`);
    });
    this.worker.on('error', (err) => options.onError?.(`SQLite checkpoint worker failed: ${err.message}`));
    this.worker.unref();
  }

  /** Runs a last checkpoint and ends the worker. */
  async stop(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage('stop');
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.worker.terminate();
  }
}
