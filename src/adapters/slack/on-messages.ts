import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { mentions, stripBotMention } from './escape.js';
import { filesOf as files, isFromPerson, type SlackMessage } from './message-event.js';
import { runTurn } from './turn.js';
import { slackWorkspace } from './workspace.js';

/**
 * Plain messages: every DM is a turn; in channels, a reply in a thread Muse takes part in
 * continues that thread's conversation. Files shared with a
 * message whose text is a command (`lore import`, `/persona import`) go to that command. A post that mentions Muse is left to the app_mention
 * listener, and Muse's own posts (and other bots') are never answered.
 */
export function register(app: App, deps: SlackDeps): void {
  app.message(async ({ message, context, body }) => {
    const m = message as unknown as SlackMessage;
    if (!isFromPerson(m, context.botUserId)) return;
    const team = slackWorkspace(body);
    const text = m.text ?? '';
    if (m.channel_type === 'im') {
      if (!(await deps.firstDelivery('message', `${m.channel}:${m.ts}`))) return;
      const threadTs = m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
      await runTurn(deps, {
        teamId: team,
        channel: m.channel,
        ...(threadTs ? { threadTs } : {}),
        dm: true,
        userId: m.user,
        text: stripBotMention(text, context.botUserId),
        ...files(m),
      });
      return;
    }
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    if (mentions(text, context.botUserId)) return;
    const bot = { ...(context.botUserId ? { userId: context.botUserId } : {}), ...(context.botId ? { botId: context.botId } : {}) };
    if (!(await deps.threads.isMuseThread(team, m.channel, m.thread_ts, bot))) return;
    if (!(await deps.firstDelivery('message', `${m.channel}:${m.ts}`))) return;
    await runTurn(deps, { teamId: team, channel: m.channel, threadTs: m.thread_ts, dm: false, userId: m.user, text, ...files(m) });
  });
}
