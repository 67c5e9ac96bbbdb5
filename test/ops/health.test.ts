import { once } from 'node:events';
import { createServer } from 'node:net';
import { Events } from 'discord.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start.js';
import { Health } from '../../src/ops/health.js';
import { listenOps, opsRoutes, type OpsServer } from '../../src/ops/http.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { startHarness as startDiscordHarness } from '../discord/harness.js';
import { ALICE, CHANNEL, post, SECRET, startSocketHarness } from '../slack/harness.js';
import { makeEngine } from '../support/engine.js';
import { FakeSlack, SlackSender } from '../support/fake-slack.js';

const silent = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('readiness', () => {
  it('is ready when every check passes; a check that throws or hangs counts as not ready; draining is never ready', async () => {
    const failed: string[] = [];
    const health = new Health(50, (name) => failed.push(name));
    health.add('store', () => true);
    health.add('discord', async () => true);
    expect(await health.readiness()).toEqual({ ready: true, draining: false, checks: { store: true, discord: true } });
    health.add('store', () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:6379');
    });
    health.add('discord', () => new Promise<boolean>(() => {}));
    expect(await health.readiness()).toEqual({ ready: false, draining: false, checks: { store: false, discord: false } });
    expect(failed).toEqual(['store']);
    health.add('store', () => true);
    health.add('discord', () => true);
    health.drain();
    expect(await health.readiness()).toEqual({ ready: false, draining: true, checks: { store: true, discord: true } });
  });
});

describe('/healthz, /readyz and /metrics', () => {
  async function serve(health: Health): Promise<OpsServer> {
    const ops = await listenOps(0, opsRoutes(health, createMetrics(), silent));
    cleanups.push(ops.close);
    return ops;
  }

  it('on a port of their own: 200 while alive, 200/503 for readiness with the checks named (nothing else), metrics as text', async () => {
    const health = new Health();
    let storeUp = true;
    health.add('store', () => storeUp);
    const { port } = await serve(health);
    const base = `http://127.0.0.1:${port}`;
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(`${base}/readyz`)).toMatchObject({ status: 200, type: 'application/json' });
    storeUp = false;
    const down = await get(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({ ready: false, draining: false, checks: { store: false } });
    storeUp = true;
    health.drain();
    expect((await get(`${base}/readyz`)).status).toBe(503);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    const metrics = await get(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('# TYPE muse_turns_total counter');
    expect((await get(`${base}/elsewhere`)).status).toBe(404);
  });

  it('a port in use ends start-up with one sentence', async () => {
    const blocker = createServer();
    blocker.listen(0);
    await once(blocker, 'listening');
    cleanups.push(() => void blocker.close());
    const { port } = blocker.address() as { port: number };
    await expect(listenOps(port, [])).rejects.toThrow(`Muse could not serve /healthz on PORT ${port}: another program uses it; set PORT to a free port.`);
  });
});

describe('the adapters for health and shutdown', () => {
  async function slackOverHttp(): Promise<{ slack: FakeSlack; bolt: RunningSlack; sender: SlackSender; health: Health }> {
    const slack = await new FakeSlack().start();
    slack.users.set(ALICE, { name: 'Alice' });
    const t = await makeEngine();
    const health = new Health();
    const bolt = await startSlack({
      engine: t.engine,
      botToken: 'xoxb-test',
      signingSecret: SECRET,
      apiUrl: slack.url,
      port: 0,
      log: silent,
      throttleMs: 0,
      customRoutes: opsRoutes(health, createMetrics(), silent),
    });
    health.add('slack', bolt.ready);
    const sender = new SlackSender(`http://127.0.0.1:${bolt.port}/slack/events`, SECRET, slack.teamId);
    cleanups.push(async () => {
      sender.close();
      await bolt.stop();
      await t.store.close();
      await slack.close();
    });
    return { slack, bolt, sender, health };
  }

  it('Slack over HTTP serves the routes on its own port; paused, it answers events 503 (Slack sends them again) and still answers /readyz', async () => {
    const { slack, bolt, sender, health } = await slackOverHttp();
    const base = `http://127.0.0.1:${bolt.port}`;
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect((await get(`${base}/readyz`)).status).toBe(200);
    expect(bolt.ready()).toBe(true);
    const first = post(slack, { type: 'app_mention', text: '<@UMUSE> hello' });
    expect((await sender.event(first)).status).toBe(200);
    await bolt.idle();
    expect(slack.museMessages(CHANNEL)).toHaveLength(1);

    await bolt.pause();
    health.drain();
    expect(bolt.ready()).toBe(false);
    const second = post(slack, { type: 'app_mention', text: '<@UMUSE> are you there?' });
    expect((await sender.event(second)).status).toBe(503);
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ ready: false, draining: true, checks: { slack: false } });
    await bolt.idle();
    expect(slack.museMessages(CHANNEL)).toHaveLength(1);
  });

  it('Socket Mode is ready while connected; paused, it disconnects', async () => {
    const h = await startSocketHarness({ pingTimeoutMs: 1000 });
    cleanups.push(() => h.close());
    expect(h.bolt.ready()).toBe(true);
    await h.bolt.pause();
    expect(h.bolt.ready()).toBe(false);
    await h.slack.waitFor(() => h.socket.openConnections === 0);
  });

  it('Discord is ready while its shards are connected; paused, new messages are not handed to the engine', async () => {
    const h = await startDiscordHarness();
    cleanups.push(() => h.close());
    expect(h.discord.ready()).toBe(true);
    h.fake.say({ content: `<@${h.fake.bot.id}> first`, mentionsBot: true });
    await h.fake.until(() => h.fake.messagePayloads().length > 0);
    await h.discord.idle();
    const answered = h.backend.calls.length;
    expect(answered).toBe(1);

    h.discord.pause();
    const seen = once(h.discord.client, Events.MessageCreate);
    h.fake.say({ content: `<@${h.fake.bot.id}> second`, mentionsBot: true });
    await seen;
    await h.discord.idle();
    expect(h.backend.calls).toHaveLength(answered);
    expect(h.discord.ready()).toBe(true);
  });
});
