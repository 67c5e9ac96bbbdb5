/**
 * The fields of a Slack request body that say which installation of Muse it is for: an Events API
 * callback (`authorizations`, `team_id`, `enterprise_id`), a slash command (`team_id`,
 * `enterprise_id`, `is_enterprise_install` as the string 'true'), or an interaction such as
 * block_actions (`team`, `enterprise`, `is_enterprise_install`). Assistant messages arrive as events.
 */
export interface SlackBody {
  authorizations?: ReadonlyArray<{ team_id?: string | null; enterprise_id?: string | null; is_enterprise_install?: boolean }> | null;
  team_id?: string | null;
  enterprise_id?: string | null;
  is_enterprise_install?: boolean | string | null;
  team?: { id?: string | null; enterprise_id?: string | null } | null;
  enterprise?: { id?: string | null } | null;
}

/**
 * The one rule for the Slack workspace of a conversation (ConversationRef.workspace; the tenant
 * in a shared channel, see tenantOf), the same for events, slash commands, clicks and the
 * assistant pane: the workspace Muse is installed in and the request was delivered to. With an
 * org-wide (Enterprise Grid) installation, it is the organization, whose workspaces share
 * channels. Never the sender's own team (`event.team`, `user.team_id`, `user_team`): in a shared
 * channel that is another workspace or organization, and the same channel would split in two.
 */
export function slackWorkspace(body: SlackBody): string {
  const auth = body.authorizations?.[0];
  const orgWide = auth?.is_enterprise_install === true || body.is_enterprise_install === true || body.is_enterprise_install === 'true';
  const enterprise = auth?.enterprise_id || body.enterprise_id || body.enterprise?.id || body.team?.enterprise_id || undefined;
  if (orgWide && enterprise) return enterprise;
  return auth?.team_id || body.team_id || body.team?.id || enterprise || 'unknown';
}
