/**
 * Muse as a long-running child process (the bots, a role), for the multi-process and shutdown
 * tests: its JSON log lines (pino, on stderr) as they come, a wait for one of them, signals, and
 * its exit with the time it took.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO } from './run-muse.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export class MuseProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  stdout = '';
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private readonly child: ChildProcess;
  private listeners: Array<() => void> = [];

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line (a sentence for the operator)
        }
      }
      for (const l of [...this.listeners]) l();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    void this.exited.then(() => {
      for (const l of [...this.listeners]) l();
    });
  }

  /** Resolves with the first log line (seen or to come) whose msg is `msg`; rejects if the process exits first or after `timeoutMs`. */
  waitForLog(msg: string, timeoutMs = 60_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      let done = false;
      const check = () => {
        const line = this.logs.find((l) => l.msg === msg);
        if (line) finish(() => resolve(line));
        else if (this.child.exitCode !== null || this.child.signalCode !== null)
          finish(() => reject(new Error(`Muse exited before logging "${msg}":\n${this.stderr.slice(-3000)}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`Muse did not log "${msg}" within ${timeoutMs} ms:\n${this.stderr.slice(-3000)}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        settle();
      };
      this.listeners.push(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** A TCP port that was free a moment ago (for PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The value of one sample line of a /metrics text (`name{labels} value`), or 0 when absent. */
export function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
