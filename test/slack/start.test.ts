import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlack } from '../../src/slack/start.js';
import { FakeSlack } from '../support/fake-slack.js';
import { makeEngine } from '../support/engine.js';

describe('Slack start-up', () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.close();
  });

  it('a rejected bot token ends start-up with one sentence', async () => {
    slack = await new FakeSlack().start();
    slack.failures.set('auth.test', 'invalid_auth');
    const t = await makeEngine();
    await expect(startSlack({ engine: t.engine, botToken: 'xoxb-wrong', signingSecret: 's', apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) }))
      .rejects.toThrow("Slack rejected SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token (xoxb-…) again from the app's OAuth & Permissions page.");
  });

  it('an unreachable Slack API ends start-up quickly with one sentence', async () => {
    const t = await makeEngine();
    await expect(startSlack({ engine: t.engine, botToken: 'xoxb-x', signingSecret: 's', apiUrl: 'http://127.0.0.1:1/api/', port: 0, log: pino({ level: 'silent' }) }))
      .rejects.toThrow('Muse could not reach Slack at http://127.0.0.1:1/api/ to check SLACK_BOT_TOKEN; the details are in the log.');
  });

  it('takes the bot identity from auth.test once, so Bolt does not ask again', async () => {
    slack = await new FakeSlack().start();
    const t = await makeEngine();
    const running = await startSlack({ engine: t.engine, botToken: 'xoxb-test', signingSecret: 's', apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) });
    await running.stop();
    expect(slack.callsOf('auth.test')).toHaveLength(1);
  });
});
