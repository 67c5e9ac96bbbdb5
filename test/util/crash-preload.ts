/**
 * Loaded before src/main.ts by crash.test.ts: once Muse is up (its crash handler installed and
 * "muse ready" in its log), an exception that nothing catches.
 */
import { existsSync, readFileSync } from 'node:fs';

const file = process.env.MUSE_LOG_FILE ?? '';
const timer = setInterval(() => {
  if (process.listenerCount('uncaughtException') === 0) return;
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes('muse ready')) return;
  clearInterval(timer);
  throw new Error('boom from the test');
}, 20);
