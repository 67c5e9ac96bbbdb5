import { Assistant, type App } from '@slack/bolt';
import { starterIn } from '../../engine/feature.js';
import { RecentKeys } from './dedupe.js';
import type { SlackDeps } from './deps.js';
import { slackToPlain, stripBotMention } from './escape.js';
import { filesOf, isFromPerson, type SlackMessage } from './message-event.js';
import { wordsFor } from './speaker-words.js';
import { runTurn } from './turn.js';
import { slackWorkspace } from './workspace.js';

/**
 * The assistant pane (a DM thread per topic): suggested prompts when a thread starts, a title
 * from the first message, a status while Muse writes. Each thread is its own conversation.
 */
export function register(app: App, deps: SlackDeps): void {
  const titled = new RecentKeys(10_000);
  const assistant = new Assistant({
    threadStarted: async ({ event, body, setSuggestedPrompts }) => {
      const { user_id: user, channel_id: channel, thread_ts: thread } = event.assistant_thread;
      const t = await wordsFor(deps, { platform: 'slack', workspace: slackWorkspace(body), channel, thread, dm: true }, user);
      // The features' starters and Muse's title, in the user's language.
      await setSuggestedPrompts({ title: t('slack.startersTitle'), prompts: deps.engine.starters.map((s) => starterIn(s, t)) }).catch((err: unknown) =>
        deps.log.warn({ err }, 'slack: could not set suggested prompts'),
      );
    },
    // Muse does not use the channel the user is looking at; skip Bolt's default (it posts metadata).
    threadContextChanged: async () => {},
    userMessage: async ({ message, context, body, setStatus, setTitle }) => {
      const m = message as unknown as SlackMessage;
      if (!isFromPerson(m, context.botUserId) || !m.thread_ts) return;
      if (!(await deps.firstDelivery('message', `${m.channel}:${m.ts}`))) return;
      const text = stripBotMention(m.text ?? '', context.botUserId);
      if (titled.claim(`${m.channel}:${m.thread_ts}`)) {
        const title = slackToPlain(text).replace(/\s+/g, ' ').slice(0, 80) || 'Muse';
        await setTitle(title).catch((err: unknown) => deps.log.warn({ err }, 'slack: could not set the thread title'));
      }
      const t = await wordsFor(deps, { platform: 'slack', workspace: slackWorkspace(body), channel: m.channel, thread: m.thread_ts, dm: true }, m.user);
      await setStatus(t('slack.writingStatus')).catch((err: unknown) => deps.log.warn({ err }, 'slack: could not set the status'));
      await runTurn(deps, {
        teamId: slackWorkspace(body),
        channel: m.channel,
        threadTs: m.thread_ts,
        dm: true,
        userId: m.user,
        text,
        ...filesOf(m),
      });
    },
  });
  app.assistant(assistant);
}
