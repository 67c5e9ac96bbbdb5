/**
 * The bodies Slack sends an app, as Slack builds them: an Events API callback, a slash command
 * and a block_actions click. Over HTTP they are the request body (JSON, a form, `payload=`);
 * in Socket Mode they are an envelope's `payload`.
 */

/** An Events API callback (`type: 'event_callback'`) carrying `event`. */
export function eventCallback(teamId: string, event: Record<string, unknown>, eventId: string): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: teamId,
    api_app_id: 'AMUSE',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: event.ts, ...event },
  };
}

export interface CommandFrom {
  user: string;
  channel: string;
  channelName?: string;
}

/** A slash command's fields (all strings, as in its form encoding); `n` makes its URLs unique. */
export function slashCommand(teamId: string, n: number, responseBase: string, command: string, text: string, opts: CommandFrom): Record<string, string> {
  return {
    token: 'legacy',
    team_id: teamId,
    team_domain: 'test',
    channel_id: opts.channel,
    channel_name: opts.channelName ?? (opts.channel.startsWith('D') ? 'directmessage' : 'general'),
    user_id: opts.user,
    user_name: opts.user.toLowerCase(),
    command,
    text,
    api_app_id: 'AMUSE',
    response_url: `${responseBase}/${n}`,
    trigger_id: `trigger-${n}`,
  };
}

export interface ClickOn {
  user: string;
  channel: string;
  message: { ts: string; thread_ts?: string; text: string; blocks?: unknown[] };
}

/** A block_actions payload for a click on a button of `opts.message`. */
export function blockActions(
  teamId: string,
  n: number,
  responseBase: string,
  button: { action_id: string; value: string; type?: string },
  opts: ClickOn,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: teamId, domain: 'test' },
    user: { id: opts.user, username: opts.user.toLowerCase(), team_id: teamId },
    api_app_id: 'AMUSE',
    token: 'legacy',
    trigger_id: `trigger-a${n}`,
    container: {
      type: 'message',
      message_ts: opts.message.ts,
      channel_id: opts.channel,
      is_ephemeral: false,
      ...(opts.message.thread_ts ? { thread_ts: opts.message.thread_ts } : {}),
    },
    channel: { id: opts.channel, name: opts.channel.startsWith('D') ? 'directmessage' : 'general' },
    message: { type: 'message', user: 'UMUSE', bot_id: 'BMUSE', ...opts.message },
    response_url: `${responseBase}/a${n}`,
    actions: [
      {
        type: button.type ?? 'button',
        block_id: button.type === 'feedback_buttons' ? 'muse_feedback' : 'muse_actions',
        action_id: button.action_id,
        value: button.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `${Date.now() / 1000}${n}`,
      },
    ],
  };
}
