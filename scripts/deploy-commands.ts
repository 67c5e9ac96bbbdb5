/** npm run deploy:commands (and the Procfile's release step): registers Muse's slash commands and prints the invite URL. */
import { commands } from '../commands/index.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { deployCommands, deployFailure } from '../src/adapters/discord/deploy.js';
import { createLogger } from '../src/util/log.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    return 1;
  }
  const log = createLogger(config.LOG_LEVEL);
  if (!config.DISCORD_TOKEN) {
    // Also the Procfile's release step, which must pass for a deployment without Discord.
    console.log(
      'DISCORD_TOKEN is not set, so there are no Discord commands to register; skipped (put the bot token from the Developer Portal, Bot → Reset Token, in .env to register them).',
    );
    return 0;
  }
  try {
    const result = await deployCommands({
      token: config.DISCORD_TOKEN,
      commands,
      applicationId: config.DISCORD_APPLICATION_ID,
      guildId: config.DISCORD_GUILD_ID,
      apiUrl: config.DISCORD_API_URL,
    });
    const where =
      result.scope === 'guild' ? `for server ${config.DISCORD_GUILD_ID} (available at once)` : 'globally (they can take up to an hour to appear everywhere)';
    console.log(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}.`);
    console.log(`Invite Muse to a server with:\n${result.inviteUrl}`);
    return 0;
  } catch (err) {
    log.error({ err }, 'deploy:commands failed');
    console.error(deployFailure(err));
    return 1;
  }
}

process.exitCode = await main();
