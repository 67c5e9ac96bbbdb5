import type { Logger } from './log.js';

export interface CrashHandling {
  /** The log once there is one (start-up may fail before). */
  log: () => Logger | undefined;
  stderr?: NodeJS.WritableStream;
  exit?: (code: number) => void;
}

/** How long a crash waits for the log to be written before the process exits anyway. */
const FLUSH_MS = 2000;

/**
 * What Muse does with a failure nothing caught:
 * - an exception leaves the process in an unknown state: it is logged with its stack, one
 *   sentence goes to stderr, and the process exits with code 1 so a supervisor (the platform's
 *   process manager, systemd, Docker) starts it again;
 * - a promise rejection is logged (with its stack) and Muse keeps serving everyone else.
 */
export function handleCrashes(opts: CrashHandling): void {
  const stderr = opts.stderr ?? process.stderr;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let crashed = false;
  process.on('uncaughtException', (err, origin) => {
    if (crashed) return;
    crashed = true;
    const log = opts.log();
    const message = err instanceof Error ? err.message : String(err);
    if (!log) {
      stderr.write(`Muse stopped because of an unexpected error: ${message}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
      exit(1);
      return;
    }
    log.fatal({ err, origin }, 'uncaught exception: Muse stops (exit code 1) so that its supervisor starts it again');
    stderr.write(`Muse stopped because of an unexpected error: ${message} (the details are in the log).\n`);
    const timer = setTimeout(() => exit(1), FLUSH_MS);
    log.flush(() => {
      clearTimeout(timer);
      exit(1);
    });
  });
  process.on('unhandledRejection', (err) => {
    const log = opts.log();
    if (log) log.error({ err }, 'unhandled rejection');
    else stderr.write(`Muse hit an unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  });
}
