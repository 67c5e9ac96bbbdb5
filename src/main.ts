import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.js';
import { runTerminal, sayOnce } from './adapters/terminal/terminal.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { handleCrashes } from './util/crash.js';
import { createLogger, type Logger } from './util/log.js';

const USAGE = `Usage: npm start [-- --channel NAME] [-- --channel NAME --say "TEXT"]
  With DISCORD_TOKEN and/or SLACK_BOT_TOKEN set, runs the bots; otherwise opens a terminal conversation.
  --channel NAME   the terminal conversation to use (default "default"); memory is kept per channel
  --say TEXT       one turn: print Muse's reply on stdout and exit
  --terminal       open the terminal even when platform tokens are set`;

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let args;
  try {
    args = parseArgs({
      options: { channel: { type: 'string' }, say: { type: 'string' }, terminal: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const platforms = !args.terminal && args.say === undefined && (config.DISCORD_TOKEN || config.SLACK_BOT_TOKEN);
  // The terminal owns the screen: logs go to a file so they never mix with the conversation.
  const log = createLogger(config.LOG_LEVEL, platforms ? undefined : config.MUSE_LOG_FILE);
  activeLog = log;
  let app: App;
  try {
    app = await createApp(config, log);
  } catch (err) {
    log.error({ err }, 'start-up failed');
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  try {
    if (platforms) return await runPlatforms(app, config, log);
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

async function runPlatforms(app: App, config: Config, log: Logger): Promise<number> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const served = await startPlatforms(app, config, log, stops);
    // With the outboxes attached: close what is overdue on these platforms, arm the rest.
    await app.engine.start(served);
  } catch (err) {
    // A wrong token or an unreachable API: one sentence for the operator, details in the log.
    log.error({ err }, 'a platform adapter could not start');
    process.stderr.write(`${(err as Error).message}\n`);
    for (const stop of stops) await stop().catch(() => undefined);
    return 1;
  }
  log.info({ model: app.backend.describe }, 'muse is running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const stop of stops) await stop().catch((err: unknown) => log.warn({ err }, 'stop failed'));
  return 0;
}

/** Starts the configured adapters; returns the platforms this process serves. */
async function startPlatforms(app: App, config: Config, log: Logger, stops: Array<() => Promise<void>>): Promise<string[]> {
  const served: string[] = [];
  if (config.DISCORD_TOKEN) {
    const { startDiscord } = await import('./adapters/discord/start.js');
    const discord = await startDiscord({
      engine: app.engine,
      token: config.DISCORD_TOKEN,
      log,
      ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
      ...(config.DISCORD_APPLICATION_ID ? { applicationId: config.DISCORD_APPLICATION_ID } : {}),
      ...(config.MUSE_MANAGER_ROLE ? { managerRole: config.MUSE_MANAGER_ROLE } : {}),
    });
    stops.push(() => discord.stop());
    served.push('discord');
  }
  if (config.SLACK_BOT_TOKEN) {
    const { startSlack } = await import('./adapters/slack/start.js');
    const slack = await startSlack({
      engine: app.engine,
      botToken: config.SLACK_BOT_TOKEN,
      port: config.PORT,
      log,
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      ...(config.MUSE_SLACK_MANAGER_GROUP ? { managerGroup: config.MUSE_SLACK_MANAGER_GROUP } : {}),
    });
    stops.push(() => slack.stop());
    served.push('slack');
  }
  return served;
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
