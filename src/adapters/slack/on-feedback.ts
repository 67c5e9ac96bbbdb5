import type { App, BlockAction, FeedbackButtonsAction } from '@slack/bolt';
import { conversationKey, type ConversationRef } from '../../engine/conversation.js';
import { acknowledge } from './ack.js';
import type { SlackDeps } from './deps.js';
import { FEEDBACK_ACTION } from './feedback-blocks.js';
import { wordsFor } from './speaker-words.js';
import { slackWorkspace } from './workspace.js';

/**
 * 👍/👎 under a streamed reply: the vote is recorded for that reply and person (a second click
 * changes it), logged, and acknowledged to the clicker alone. No model call.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<FeedbackButtonsAction>>({ type: 'block_actions', action_id: FEEDBACK_ACTION }, async ({ ack, body, action }) => {
    await acknowledge(ack, deps.log, 'click');
    const vote = action.value === 'good' ? 'good' : action.value === 'bad' ? 'bad' : undefined;
    const channel = body.channel?.id ?? textOf(body.container?.channel_id);
    const ts = textOf(body.message?.ts) ?? textOf(body.container?.message_ts);
    if (!vote || !channel || !ts) return;
    if (!(await deps.firstDelivery('action', `${body.user.id}:${action.action_ts}`))) return;
    const thread = textOf(body.message?.thread_ts) ?? textOf(body.container?.thread_ts);
    const team = slackWorkspace(body);
    const ref: ConversationRef = {
      platform: 'slack',
      workspace: team,
      channel,
      ...(thread && thread !== ts ? { thread } : {}),
      ...(channel.startsWith('D') ? { dm: true } : {}),
    };
    const conversation = conversationKey(ref);
    const t = await wordsFor(deps, ref, body.user.id);
    let answer = vote === 'good' ? t('slack.thanksGood') : t('slack.thanksBad');
    try {
      await deps.engine.feedback.record(conversation, ts, body.user.id, vote);
      deps.log.info({ conversation, ts, user: body.user.id, vote }, 'slack: feedback on a reply');
    } catch (err) {
      deps.log.warn({ err, conversation, ts, user: body.user.id, vote }, 'slack: could not record feedback on a reply');
      answer = t('slack.feedbackFailed');
    }
    await deps.client.chat
      .postEphemeral({ channel, user: body.user.id, text: answer, ...(ref.thread ? { thread_ts: ref.thread } : {}) })
      .catch((err: unknown) => deps.log.warn({ err }, 'slack: could not acknowledge feedback'));
  });
}

/** A field of the payload's loosely typed parts: a string, or nothing. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
