import { afterEach, describe, expect, it } from 'vitest';
import { slackWorkspace, type SlackBody } from '../../src/adapters/slack/workspace.js';
import { encodeAction } from '../../src/engine/actions.js';
import { conversationKey, tenantOf } from '../../src/engine/conversation.js';
import { withFeatures } from '../support/engine.js';
import { FakeClock } from '../support/fake-clock.js';
import { pollFeature } from '../support/poll-command.js';
import { blockActions, eventCallback, slashCommand } from '../support/slack-payloads.js';
import { ALICE, CHANNEL, startHarness, type Harness } from './harness.js';

/**
 * One rule picks the workspace (and so the tenant) of a Slack request, whatever its shape: an
 * event, a slash command, a click, an assistant-pane message. The bodies are built as Slack
 * sends them, for one workspace, a Slack Connect channel shared with another organization, a
 * workspace of an Enterprise Grid, and an org-wide Grid installation.
 */
const message = (team: string) => ({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ts: '1.1', team, user_team: team, source_team: team });
const click = (team: SlackBody['team'], userTeam: string, extra: Record<string, unknown> = {}) => ({
  ...blockActions('ignored', 1, 'http://x', { action_id: 'a', value: 'v' }, { user: 'U1', channel: 'C1', message: { ts: '1.1', text: 'x' } }),
  team,
  user: { id: 'U1', username: 'u1', team_id: userTeam },
  ...extra,
});
const command = (teamId: string, extra: Record<string, string> = {}) => ({
  ...slashCommand(teamId, 1, 'http://x', '/story', 'new', { user: 'U1', channel: 'C1' }),
  ...extra,
});

const scenarios: Array<{ name: string; workspace: string; event: SlackBody; command: SlackBody; click: SlackBody; assistant: SlackBody }> = [
  {
    name: 'one workspace',
    workspace: 'T1',
    event: { ...eventCallback('T1', message('T1'), 'Ev1'), authorizations: [{ team_id: 'T1', enterprise_id: null, is_enterprise_install: false }] },
    command: command('T1'),
    click: click({ id: 'T1' }, 'T1'),
    assistant: {
      ...eventCallback('T1', { ...message('T1'), channel: 'D1', channel_type: 'im', thread_ts: '1.0' }, 'Ev2'),
      authorizations: [{ team_id: 'T1', enterprise_id: null, is_enterprise_install: false }],
    },
  },
  {
    name: 'a Slack Connect channel, written in by someone of another organization',
    workspace: 'T1',
    event: { ...eventCallback('TEXT', message('TEXT'), 'Ev3'), authorizations: [{ team_id: 'T1', enterprise_id: null, is_enterprise_install: false }] },
    command: command('T1'),
    click: click({ id: 'T1' }, 'TEXT'),
    assistant: { ...eventCallback('T1', message('T1'), 'Ev4'), authorizations: [{ team_id: 'T1', enterprise_id: null, is_enterprise_install: false }] },
  },
  {
    name: 'a workspace of an Enterprise Grid, installed in that workspace',
    workspace: 'T2',
    event: {
      ...eventCallback('T2', message('T2'), 'Ev5'),
      enterprise_id: 'E1',
      authorizations: [{ team_id: 'T2', enterprise_id: 'E1', is_enterprise_install: false }],
    },
    command: command('T2', { enterprise_id: 'E1', is_enterprise_install: 'false' }),
    click: click({ id: 'T2', enterprise_id: 'E1' }, 'T2', { enterprise: { id: 'E1', name: 'Org' }, is_enterprise_install: false }),
    assistant: { ...eventCallback('T2', message('T2'), 'Ev6'), authorizations: [{ team_id: 'T2', enterprise_id: 'E1', is_enterprise_install: false }] },
  },
  {
    name: 'an org-wide Grid installation, a channel shared by two of its workspaces',
    workspace: 'E1',
    event: {
      ...eventCallback('T3', message('T3'), 'Ev7'),
      enterprise_id: 'E1',
      authorizations: [{ team_id: null, enterprise_id: 'E1', is_enterprise_install: true }],
    },
    command: command('T2', { enterprise_id: 'E1', is_enterprise_install: 'true' }),
    click: click(null, 'T3', { enterprise: { id: 'E1', name: 'Org' }, is_enterprise_install: true }),
    assistant: {
      ...eventCallback('T2', message('T2'), 'Ev8'),
      enterprise_id: 'E1',
      authorizations: [{ team_id: null, enterprise_id: 'E1', is_enterprise_install: true }],
    },
  },
];

describe('slackWorkspace: one rule for every listener', () => {
  for (const s of scenarios) {
    it(`${s.name}: the event, the command, the click and the assistant message name the same workspace`, () => {
      expect([s.event, s.command, s.click, s.assistant].map(slackWorkspace)).toEqual([s.workspace, s.workspace, s.workspace, s.workspace]);
    });
  }

  it("never takes the sender's own team, and says 'unknown' only when the body names none", () => {
    expect(slackWorkspace({ ...eventCallback('T1', message('TEXT'), 'Ev9') })).toBe('T1');
    expect(slackWorkspace({})).toBe('unknown');
  });

  it('is the tenant in a shared channel; in a DM the tenant is the user', () => {
    const workspace = slackWorkspace(scenarios[3]!.click);
    expect(tenantOf({ platform: 'slack', workspace, channel: 'C1' }, 'U1')).toBe('slack:E1');
    expect(tenantOf({ platform: 'slack', workspace, channel: 'D1', dm: true }, 'U1')).toBe('slack:user:U1');
  });
});

describe('Slack: an org-wide Grid installation', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('a click from someone of another workspace of the organization counts in the conversation the command started', async () => {
    h = await startHarness({ features: withFeatures(pollFeature), clock: new FakeClock() });
    h.slack.users.set('UCAROL', { name: 'Carol' });
    const started = command('T2', { enterprise_id: 'E1', is_enterprise_install: 'true', command: '/poll', text: 'start', user_id: ALICE, channel_id: CHANNEL });
    await h.sender.post(new URLSearchParams(started).toString(), 'application/x-www-form-urlencoded');
    await h.bolt.idle();
    const vote = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(vote.text).toMatch(/^Which door, Alice\?/);

    const value = encodeAction({ command: 'poll', sub: 'vote', options: { choice: '2' } });
    const buttons = vote.blocks?.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    const button = buttons.elements.find((e) => e.value === value)!;
    const payload = {
      ...blockActions('T2', 7, `${h.slack.origin}/respond`, button, { user: 'UCAROL', channel: CHANNEL, message: vote }),
      team: null,
      user: { id: 'UCAROL', username: 'carol', team_id: 'T3' },
      enterprise: { id: 'E1', name: 'Org' },
      is_enterprise_install: true,
    };
    await h.sender.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    await h.bolt.idle();
    expect(h.slack.callsOf('chat.postEphemeral').map((c) => [c.args.user, c.args.text])).toEqual([['UCAROL', 'Your vote for 2 is in.']]);
    // The conversation (and the tenant) is the organization's.
    expect(await h.store.getMeta(conversationKey({ platform: 'slack', workspace: 'E1', channel: CHANNEL }))).toBeDefined();
    h.engine.close();
  });
});
