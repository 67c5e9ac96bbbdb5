import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAction } from '../../engine/actions.js';
import { ACTION_PREFIX } from './blocks.js';
import { acknowledge } from './ack.js';
import type { SlackDeps } from './deps.js';
import { runTurn } from './turn.js';

/**
 * Muse's buttons: the button's value is its encoded action (engine/actions.ts), planned and run
 * by the engine as the person who clicked (votes are per person).
 * A reply that starts with 'replace' is shown in the clicked message (chat.update); a private
 * answer ("your vote is in") goes to the clicker alone; a new public reply is posted, and then
 * the clicked message loses its buttons (they moved to the newest reply). Buttons that only got
 * private answers (a vote) stay for the others.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action, context }) => {
    await acknowledge(ack, deps.log, 'click');
    const input = decodeAction(action.value ?? '');
    const channel = body.channel?.id ?? body.container?.channel_id;
    const message = body.message;
    if (!channel || !input) return;
    if (!(await deps.firstDelivery('action', `${body.user.id}:${action.action_ts}`))) return;
    // Muse's own replies sit in a thread (under a mention) or at the top level (slash commands, DMs).
    const threadTs = message?.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    const result = await runTurn(deps, {
      teamId: body.team?.id ?? context.teamId ?? 'unknown',
      channel,
      ...(threadTs ? { threadTs } : {}),
      dm: channel.startsWith('D'),
      userId: body.user.id,
      input,
      errorsEphemeral: true,
      ...(message?.ts ? { target: { replaceTs: message.ts } } : {}),
    });
    if (message?.ts && !result.replaced && result.posted.length > 0) {
      const blocks = (message.blocks as Array<{ type: string }> | undefined)?.filter((b) => b.type !== 'actions');
      await deps.client.chat
        .update({ channel, ts: message.ts, text: message.text ?? '', ...(blocks ? { blocks } : {}) })
        .catch((err: unknown) => deps.log.warn({ err }, 'slack: could not remove the used buttons'));
    }
  });
}
