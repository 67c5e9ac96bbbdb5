import { stringify } from 'yaml';
import { callables, valueForm, type CommandSpec, type OptionSpec } from '../../engine/spec.js';

export interface ManifestOptions {
  /** Public base URL for HTTP mode (https://muse.example.com); unset: Socket Mode, no URLs. */
  url?: string;
  name?: string;
  /** Suggested first messages for the assistant pane (the features' starters). */
  starters?: ReadonlyArray<{ title: string; message: string }>;
}

export const BOT_SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'chat:write',
  // A story's cast posts under each character's name and picture (username, icon_url).
  'chat:write.customize',
  'commands',
  'files:read',
  'files:write',
  'groups:history',
  'im:history',
  'im:write',
  'mpim:history',
  'usergroups:read',
  'users:read',
];

export const BOT_EVENTS = [
  'app_mention',
  'assistant_thread_context_changed',
  'assistant_thread_started',
  'message.channels',
  'message.groups',
  'message.im',
  'message.mpim',
];

/** "new <premise> [persona] [vote:0–600] | continue [direction] | …", from the spec's options. */
export function usageHint(command: CommandSpec): string {
  const hint = callables(command)
    .map((c) => [c.subPath, ...c.options.map(optionHint)].filter(Boolean).join(' '))
    .filter(Boolean)
    .join(' | ');
  return hint.length > 100 ? `${hint.slice(0, 99)}…` : hint;
}

/** "<premise>", "[vote:0–600]", "[always:on/off]". */
function optionHint(o: OptionSpec): string {
  const form = valueForm(o);
  const name = form ? `${o.name}:${form}` : o.name;
  return o.required ? `<${name}>` : `[${name}]`;
}

/** The Slack app manifest, generated from the command specs (one source of truth). */
export function slackManifest(commands: readonly CommandSpec[], opts: ManifestOptions = {}): Record<string, unknown> {
  const name = opts.name ?? 'Muse';
  const base = opts.url?.replace(/\/+$/, '');
  const endpoint = base ? `${base}/slack/events` : undefined;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Interactive stories, poems and tutoring',
      long_description:
        'Muse tells stories with the whole channel, writes poems in the form you ask for, and tutors one to one. Mention it in a channel (it answers in a thread, and the thread is the conversation), use its slash commands, or talk to it in a DM or the assistant pane.',
      background_color: '#3b2e5a',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      assistant_view: {
        assistant_description: 'Stories, poems and lessons with Muse.',
        suggested_prompts: (opts.starters ?? []).map(({ title, message }) => ({ title, message })),
      },
      slash_commands: commands.map((c) => ({
        command: `/${c.slackName ?? c.name}`,
        description: c.description.slice(0, 100),
        ...(usageHint(c) ? { usage_hint: usageHint(c) } : {}),
        should_escape: false,
        ...(endpoint ? { url: endpoint } : {}),
      })),
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: { ...(endpoint ? { request_url: endpoint } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(endpoint ? { request_url: endpoint } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !endpoint,
      token_rotation_enabled: false,
    },
  };
}

export function slackManifestYaml(commands: readonly CommandSpec[], opts: ManifestOptions = {}): string {
  const how = opts.url
    ? `HTTP mode: requests go to ${opts.url.replace(/\/+$/, '')}/slack/events`
    : 'Socket Mode (set SLACK_APP_TOKEN); regenerate with --url https://your.host for HTTP mode';
  return `# Muse's Slack app manifest, generated from commands/ by \`npm run slack:manifest\`.\n# ${how}.\n# Create the app at https://api.slack.com/apps → Create New App → From a manifest.\n${stringify(slackManifest(commands, opts), { lineWidth: 0 })}`;
}
