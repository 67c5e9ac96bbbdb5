import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../util/log.js';

/** Bolt's and the Web API client's logs, into Muse's structured log. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const child = log.child({ component: 'slack' });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  const errOf = (msg: unknown[]) => msg.find((m): m is Error => m instanceof Error);
  return {
    // Bolt logs request bodies at debug level: format only when that level is on.
    debug: (...msg: unknown[]) => {
      if (child.isLevelEnabled('debug')) child.debug(text(msg));
    },
    info: (...msg: unknown[]) => {
      if (child.isLevelEnabled('info')) child.info(text(msg));
    },
    warn: (...msg: unknown[]) => child.warn({ err: errOf(msg) }, text(msg)),
    error: (...msg: unknown[]) => child.error({ err: errOf(msg) }, text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
