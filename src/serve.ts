/**
 * Runs the bots as the role says (src/ops/roles.ts): starts the adapters, serves /healthz, /readyz and
 * /metrics on PORT (on Slack's own server when Slack comes over HTTP), runs the scheduled jobs of
 * what this process serves, then waits for SIGTERM or SIGINT and shuts down gracefully
 * (src/ops/shutdown.ts) within a hard limit. Returns the exit code.
 */
import { createApp, type App } from './app.js';
import type { Config } from './config/config.js';
import { openCoordination } from './memory/coordination.js';
import type { Logger } from './util/log.js';
import { Health } from './ops/health.js';
import { listenOps, opsRoutes, type OpsRoute, type OpsServer } from './ops/http.js';
import { createMetrics } from './ops/metrics.js';
import { rolePlan, serves, type RolePlan } from './ops/roles.js';
import { hardExitMs, shutdown, type Drainable } from './ops/shutdown.js';

interface Started extends Drainable {
  ready: () => boolean;
  /** Slack over HTTP: the port its server (and the ops routes) listen on. */
  port?: number;
}

export async function serve(config: Config, log: Logger): Promise<number> {
  const plan = rolePlan(config);
  const metrics = createMetrics();
  let app: App;
  try {
    app = await createApp(config, log, { observer: metrics.observer });
  } catch (err) {
    log.error({ err }, 'start-up failed');
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const health = new Health(2000, (check, err) => log.warn({ err, check }, 'a readiness check failed'));
  health.add('store', async () => {
    await app.store.getRecord('ops:ping');
    return true;
  });
  const routes = opsRoutes(health, metrics, log);
  const started: Started[] = [];
  let ops: OpsServer | undefined;
  try {
    for (const adapter of await startAdapters(app, config, plan, { routes, log }, started)) health.add(adapter.name, adapter.ready);
    if (plan.slack !== 'http') ops = await listenOps(config.PORT, routes);
    // With the outboxes attached: close what is overdue here, arm the rest.
    await app.engine.start(plan.platforms, { only: serves(plan) });
  } catch (err) {
    // A wrong token, an unreachable API, a taken port: one sentence for the operator, details in the log.
    log.error({ err }, 'muse could not start');
    process.stderr.write(`${(err as Error).message}\n`);
    for (const adapter of started) await adapter.stop().catch(() => undefined);
    await ops?.close();
    await app.close();
    return 1;
  }
  const port = ops?.port ?? started.find((a) => a.port !== undefined)?.port;
  log.info(
    { role: plan.role, platforms: plan.platforms, shards: plan.discordShards, shardCount: plan.shardCount, port, model: app.backend.describe },
    'muse is running',
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const limitMs = hardExitMs(config.MUSE_DRAIN_MS);
  log.info({ signal, drainMs: config.MUSE_DRAIN_MS, limitMs }, 'shutting down: finishing the turns in flight');
  const hard = setTimeout(() => {
    log.error({ limitMs }, 'shutdown took too long; exiting now');
    process.exit(1);
  }, limitMs);
  hard.unref();
  // A second Ctrl-C means now; a second SIGTERM changes nothing.
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => log.info({}, 'already shutting down'));
  await shutdown({
    health,
    adapters: started,
    turns: app.engine.turns,
    releaseLeases: () => openCoordination(app.store).leases.releaseAll(),
    close: () => app.close(),
    ...(ops ? { closeOps: ops.close } : {}),
    log,
    drainMs: config.MUSE_DRAIN_MS,
  });
  clearTimeout(hard);
  return 0;
}

/** Starts what the role runs; each one started is pushed to `started` at once (so a failure can stop it). */
async function startAdapters(
  app: App,
  config: Config,
  plan: RolePlan,
  { routes, log }: { routes: OpsRoute[]; log: Logger },
  started: Started[],
): Promise<Started[]> {
  if (plan.discordShards.length && config.DISCORD_TOKEN) {
    const { startDiscord } = await import('./adapters/discord/start.js');
    const discord = await startDiscord({
      engine: app.engine,
      token: config.DISCORD_TOKEN,
      log,
      shards: plan.discordShards,
      shardCount: plan.shardCount,
      ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
      ...(config.DISCORD_APPLICATION_ID ? { applicationId: config.DISCORD_APPLICATION_ID } : {}),
      ...(config.MUSE_MANAGER_ROLE ? { managerRole: config.MUSE_MANAGER_ROLE } : {}),
    });
    started.push({ name: 'discord', ready: discord.ready, pause: discord.pause, idle: discord.idle, stop: discord.stop });
  }
  if (plan.slack && config.SLACK_BOT_TOKEN) {
    const { startSlack } = await import('./adapters/slack/start.js');
    const slack = await startSlack({
      engine: app.engine,
      botToken: config.SLACK_BOT_TOKEN,
      port: config.PORT,
      log,
      observer: app.observer,
      ...(plan.slack === 'http' ? { signingSecret: config.SLACK_SIGNING_SECRET, customRoutes: routes } : { appToken: config.SLACK_APP_TOKEN }),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      ...(config.MUSE_SLACK_MANAGER_GROUP ? { managerGroup: config.MUSE_SLACK_MANAGER_GROUP } : {}),
    });
    started.push({
      name: 'slack',
      ready: slack.ready,
      pause: slack.pause,
      idle: slack.idle,
      stop: slack.stop,
      ...(plan.slack === 'http' ? { port: slack.port } : {}),
    });
  }
  return started;
}
