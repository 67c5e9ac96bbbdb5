import type { App } from '@slack/bolt';
import { acknowledge } from './ack.js';
import type { SlackDeps } from './deps.js';
import { wordsFor } from './speaker-words.js';
import { runTurn } from './turn.js';
import { slackWorkspace } from './workspace.js';

const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found']);

/** One slash command per command spec (`slackName` when Slack reserves the name, e.g. /muse-help). */
export function register(app: App, deps: SlackDeps): void {
  for (const spec of deps.engine.commands) {
    app.command(`/${spec.slackName ?? spec.name}`, async ({ command, ack, respond }) => {
      await acknowledge(ack, deps.log, 'command');
      const dm = command.channel_name === 'directmessage' || command.channel_id.startsWith('D');
      const result = await runTurn(deps, {
        teamId: slackWorkspace(command),
        channel: command.channel_id,
        dm,
        userId: command.user_id,
        text: `/${spec.name} ${command.text ?? ''}`.trim(),
        errorsEphemeral: true,
      });
      if (result.apiError && NOT_IN_CHANNEL.has(result.apiError) && result.posted.length === 0) {
        const t = await wordsFor(deps, { platform: 'slack', workspace: slackWorkspace(command), channel: command.channel_id }, command.user_id);
        await respond({ response_type: 'ephemeral', text: t('slack.notMember') }).catch((err: unknown) => deps.log.warn({ err }, 'slack respond failed'));
      }
    });
  }
}
