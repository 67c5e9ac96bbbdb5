import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { stripBotMention } from './escape.js';
import { filesOf, isFromPerson, type SlackMessage } from './message-event.js';
import { runTurn } from './turn.js';
import { slackWorkspace } from './workspace.js';

/** A mention in a channel is answered in a thread under it; that thread is the conversation. */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, context, body }) => {
    const m = event as unknown as SlackMessage;
    if (!isFromPerson(m, context.botUserId)) return;
    if (!(await deps.firstDelivery('message', `${m.channel}:${m.ts}`))) return;
    const threadTs = m.thread_ts ?? m.ts;
    const team = slackWorkspace(body);
    // Stored before the reply: a follow-up may reach another process before Muse has answered.
    await deps.threads.join(team, m.channel, threadTs);
    await runTurn(deps, {
      teamId: team,
      channel: m.channel,
      threadTs,
      dm: m.channel.startsWith('D'),
      userId: m.user,
      text: stripBotMention(m.text ?? '', context.botUserId),
      ...filesOf(m),
    });
  });
}
