import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAction } from '../../engine/actions.js';
import { ACTION_PREFIX } from './blocks.js';
import { acknowledge } from './ack.js';
import type { SlackDeps } from './deps.js';
import { runTurn } from './turn.js';
import { slackWorkspace } from './workspace.js';

/**
 * Muse's buttons: the button's value is its encoded action (engine/actions.ts), planned and run
 * by the engine as the person who clicked (votes are per person).
 * The reply plan decides where the answer goes: in the clicked message (chat.update), to the
 * clicker alone ("your vote is in"), or in a new public reply, after which the clicked message
 * loses its buttons (they moved to the newest reply). Buttons that only got private answers (a
 * vote) stay for the others.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action }) => {
    await acknowledge(ack, deps.log, 'click');
    const input = decodeAction(action.value ?? '');
    const channel = body.channel?.id ?? textOf(body.container?.channel_id);
    const message = body.message;
    if (!channel || !input) return;
    if (!(await deps.firstDelivery('action', `${body.user.id}:${action.action_ts}`))) return;
    // Muse's own replies sit in a thread (under a mention) or at the top level (slash commands, DMs).
    const messageThread = textOf(message?.thread_ts);
    const threadTs = messageThread && messageThread !== message?.ts ? messageThread : undefined;
    const result = await runTurn(deps, {
      teamId: slackWorkspace(body),
      channel,
      ...(threadTs ? { threadTs } : {}),
      dm: channel.startsWith('D'),
      userId: body.user.id,
      input,
      errorsEphemeral: true,
      ...(message?.ts ? { target: { replaceTs: message.ts } } : {}),
    });
    if (message?.ts && result.retireClicked && result.posted.length > 0) {
      const blocks = (message.blocks as Array<{ type: string }> | undefined)?.filter((b) => b.type !== 'actions');
      await deps.client.chat
        .update({ channel, ts: message.ts, text: message.text ?? '', ...(blocks ? { blocks } : {}) })
        .catch((err: unknown) => deps.log.warn({ err }, 'slack: could not remove the used buttons'));
    }
  });
}

/** A field of the payload's loosely typed parts (`container`, the clicked message): a string, or nothing. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
