import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.js';
import { runTerminal, sayOnce } from './adapters/terminal/terminal.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { serve } from './serve.js';
import { handleCrashes } from './util/crash.js';
import { createLogger, type Logger } from './util/log.js';

const USAGE = `Usage: npm start [-- --channel NAME] [-- --channel NAME --say "TEXT"] [-- --role web|gateway|all]
  With DISCORD_TOKEN and/or SLACK_BOT_TOKEN set, runs the bots; otherwise opens a terminal conversation.
  --channel NAME   the terminal conversation to use (default "default"); memory is kept per channel
  --say TEXT       one turn: print Muse's reply on stdout and exit
  --terminal       open the terminal even when platform tokens are set
  --role ROLE      what this process runs (MUSE_ROLE): web (Slack over HTTP), gateway (Discord shards,
                   Slack Socket Mode) or all (the default); web and gateway need Redis or Postgres`;

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let args;
  try {
    args = parseArgs({
      options: {
        channel: { type: 'string' },
        say: { type: 'string' },
        terminal: { type: 'boolean' },
        role: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(args.role === undefined ? process.env : { ...process.env, MUSE_ROLE: args.role });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const terminal = args.terminal || args.say !== undefined;
  if (terminal && config.MUSE_ROLE !== 'all') {
    process.stderr.write(`--role ${config.MUSE_ROLE} runs the bots; --say and --terminal open the terminal conversation, so use one or the other.\n`);
    return 2;
  }
  const platforms = !terminal && (config.DISCORD_TOKEN || config.SLACK_BOT_TOKEN);
  // The terminal owns the screen: logs go to a file so they never mix with the conversation.
  const log = createLogger(config.LOG_LEVEL, platforms ? undefined : config.MUSE_LOG_FILE);
  activeLog = log;
  if (platforms) return serve(config, log);
  let app: App;
  try {
    app = await createApp(config, log);
  } catch (err) {
    log.error({ err }, 'start-up failed');
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  try {
    const channel = args.channel ?? 'default';
    if (args.say !== undefined) return await sayOnce({ engine: app.engine, channel, text: args.say });
    await runTerminal({
      engine: app.engine,
      channel,
      banner: `Muse · terminal channel "${channel}" · model ${app.backend.describe} · memory ${app.storeDescription}\nType a message, or /help for commands, /quit to leave.`,
    });
    return 0;
  } finally {
    await app.close();
  }
}

let activeLog: Logger | undefined;
// An exception nothing caught is logged and ends the process (code 1) for its supervisor to
// restart; a stray rejection is logged and Muse keeps serving everyone else.
handleCrashes({ log: () => activeLog });

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Muse stopped because of an unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
