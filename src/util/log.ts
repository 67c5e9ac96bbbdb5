import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Fields that may hold secrets; pino replaces their values wherever they appear in a log line. */
export const REDACT = [
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'OPENAI_API_KEY',
  '*.OPENAI_API_KEY',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  '*.SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  '*.SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  '*.SLACK_SIGNING_SECRET',
  'signingSecret',
  '*.signingSecret',
];

/**
 * Structured logs. To stderr normally; to a file when the terminal channel owns the screen, so
 * logs never mix with the conversation.
 */
export function createLogger(level: string, file?: string): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'muse' } };
  if (!file) return pino(options, pino.destination({ fd: 2, sync: true }));
  mkdirSync(dirname(file), { recursive: true });
  return pino(options, pino.destination({ dest: file, sync: false, mkdir: true }));
}
