import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlack } from '../../src/adapters/slack/start.js';
import { FakeSlack } from '../support/fake-slack.js';
import { FakeSlackSocket } from '../support/fake-slack-socket.js';
import { makeEngine } from '../support/engine.js';

describe('Slack start-up', () => {
  let slack: FakeSlack | undefined;
  let socket: FakeSlackSocket | undefined;
  afterEach(async () => {
    await socket?.close();
    await slack?.close();
    socket = slack = undefined;
  });

  it('a rejected bot token ends start-up with one sentence', async () => {
    slack = await new FakeSlack().start();
    slack.failures.set('auth.test', 'invalid_auth');
    const t = await makeEngine();
    await expect(
      startSlack({ engine: t.engine, botToken: 'xoxb-wrong', signingSecret: 's', apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) }),
    ).rejects.toThrow("Slack rejected SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token (xoxb-…) again from the app's OAuth & Permissions page.");
  });

  it('an unreachable Slack API ends start-up quickly with one sentence', async () => {
    const t = await makeEngine();
    await expect(
      startSlack({ engine: t.engine, botToken: 'xoxb-x', signingSecret: 's', apiUrl: 'http://127.0.0.1:1/api/', port: 0, log: pino({ level: 'silent' }) }),
    ).rejects.toThrow('Muse could not reach Slack at http://127.0.0.1:1/api/ to check SLACK_BOT_TOKEN; the details are in the log.');
  });

  it('takes the bot identity from auth.test once, so Bolt does not ask again', async () => {
    slack = await new FakeSlack().start();
    const t = await makeEngine();
    const running = await startSlack({
      engine: t.engine,
      botToken: 'xoxb-test',
      signingSecret: 's',
      apiUrl: slack.url,
      port: 0,
      log: pino({ level: 'silent' }),
    });
    await running.stop();
    expect(slack.callsOf('auth.test')).toHaveLength(1);
  });

  it('a bot token given as SLACK_APP_TOKEN ends start-up with one sentence (Socket Mode would retry it forever)', { timeout: 15_000 }, async () => {
    slack = await new FakeSlack().start();
    socket = await new FakeSlackSocket(slack).start();
    const t = await makeEngine();
    await expect(
      startSlack({ engine: t.engine, botToken: 'xoxb-test', appToken: 'xoxb-test', apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) }),
    ).rejects.toThrow(
      'SLACK_APP_TOKEN is not an app-level token (those start with xapp-); create one with the connections:write scope under Basic Information → App-Level Tokens.',
    );
  });

  it('a rejected app token ends start-up with one sentence', async () => {
    slack = await new FakeSlack().start();
    socket = await new FakeSlackSocket(slack).start();
    const t = await makeEngine();
    await expect(
      startSlack({ engine: t.engine, botToken: 'xoxb-test', appToken: 'xapp-revoked', apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) }),
    ).rejects.toThrow(
      'Slack rejected SLACK_APP_TOKEN (invalid_auth); create an app-level token with the connections:write scope under Basic Information → App-Level Tokens and copy it (xapp-…) again.',
    );
    expect(slack.callsOf('apps.connections.open')).toHaveLength(1);
  });
});
