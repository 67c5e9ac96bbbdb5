/**
 * A graceful shutdown (SIGTERM, SIGINT), in this order:
 *   1. mark the process not ready (/readyz answers 503);
 *   2. stop taking new events (each adapter's pause());
 *   3. let the turns in flight finish, for up to `drainMs` (default 25 s);
 *   4. stop the rest: they end with "Muse is restarting…" (nothing of them is saved);
 *   5. disconnect, release the leases, close the store;
 *   6. the caller's hard timer ends the process if all this outlasts drainMs + 5 s.
 */
import type { Health } from './health.js';

/** A running adapter, as a shutdown sees it. */
export interface Drainable {
  name: string;
  /** Stops taking new events; replies in flight go on. */
  pause: () => void | Promise<void>;
  /** Resolves when every event it took has been handled (its replies posted). */
  idle: () => Promise<void>;
  /** Disconnects. */
  stop: () => Promise<void>;
}

export interface ShutdownLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ShutdownDeps {
  health: Pick<Health, 'drain'>;
  adapters: readonly Drainable[];
  /** The engine's turns in flight. */
  turns: { idle: () => Promise<void>; abort: () => number };
  /** Releases every lease this process holds. */
  releaseLeases: () => Promise<void>;
  /** Closes the app: timers, background work, model, store. */
  close: () => Promise<void>;
  /** Closes the /healthz server, when the process runs its own. */
  closeOps?: () => Promise<void>;
  log: ShutdownLogger;
  drainMs: number;
  /** How long the sentences of stopped turns may take to be posted (default 3 s). */
  abortGraceMs?: number;
}

const PAUSE_MS = 5000;

/** The hard limit after which the process exits whatever is still running. */
export function hardExitMs(drainMs: number): number {
  return drainMs + 5000;
}

export async function shutdown(deps: ShutdownDeps): Promise<void> {
  const { log } = deps;
  const began = Date.now();
  deps.health.drain();
  // Pausing is quick (a flag, closing a socket); a socket that never says it closed is not waited for.
  await within(
    PAUSE_MS,
    Promise.all(deps.adapters.map((a) => attempt(log, `${a.name}: pause`, () => a.pause()))).then(() => undefined),
  );
  const everything = () => Promise.all([deps.turns.idle(), ...deps.adapters.map((a) => a.idle())]).then(() => undefined);
  const finished = await within(deps.drainMs, everything());
  const stopped = deps.turns.abort();
  if (!finished) {
    log.warn({ stopped, drainMs: deps.drainMs }, 'turns still running at the end of the drain were stopped');
    if (!(await within(deps.abortGraceMs ?? 3000, everything()))) log.warn({}, 'some replies were still being posted at shutdown');
  }
  for (const a of deps.adapters) await attempt(log, `${a.name}: stop`, () => a.stop());
  await attempt(log, 'release leases', deps.releaseLeases);
  await attempt(log, 'close', deps.close);
  if (deps.closeOps) await attempt(log, 'close /healthz', deps.closeOps);
  log.info({ ms: Date.now() - began, finishedInTime: finished }, 'muse stopped');
}

/** True when `work` settled within `ms`. */
async function within(ms: number, work: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(log: ShutdownLogger, what: string, work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (err) {
    log.warn({ err }, `shutdown: ${what} failed`);
  }
}
