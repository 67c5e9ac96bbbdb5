import type { ConversationRef } from '../engine/conversation.js';
import { parseCommandLine } from '../text/parse-command.js';
import type { SlackDeps } from './deps.js';
import { slackToPlain } from './escape.js';
import { renderReply, type RenderResult, type ReplyTarget } from './render.js';

export interface SlackTurn {
  teamId: string;
  channel: string;
  /** The conversation's thread (unset: the channel or DM itself). */
  threadTs?: string;
  dm: boolean;
  userId: string;
  /** Slack-formatted text (mentions as <@U…>, entities escaped) or a command line. */
  text: string;
  /** Where the reply goes (default: the conversation's channel and thread). */
  target?: Partial<ReplyTarget>;
  errorsEphemeral?: boolean;
}

/** Runs one turn through the engine and renders the reply into Slack. */
export function runTurn(deps: SlackDeps, turn: SlackTurn): Promise<RenderResult> {
  return deps.gate.run(() => run(deps, turn));
}

async function run(deps: SlackDeps, turn: SlackTurn): Promise<RenderResult> {
  const conversation: ConversationRef = {
    platform: 'slack',
    workspace: turn.teamId,
    channel: turn.channel,
    ...(turn.threadTs ? { thread: turn.threadTs } : {}),
    ...(turn.dm ? { dm: true } : {}),
  };
  const name = await deps.users.name(turn.userId);
  const text = slackToPlain(turn.text, (id) => deps.users.cachedName(id));
  const canManage = !turn.dm && needsManager(deps, text) ? await deps.users.canManage(turn.userId) : undefined;
  const target: ReplyTarget = {
    channel: turn.channel,
    user: turn.userId,
    dm: turn.dm,
    ...(turn.threadTs ? { threadTs: turn.threadTs } : {}),
    ...turn.target,
  };
  const parts = deps.engine.handle({ conversation, speaker: { id: turn.userId, name }, text, ...(canManage === undefined ? {} : { canManage }) });
  return renderReply(parts, target, {
    client: deps.client,
    log: deps.log,
    throttleMs: deps.throttleMs,
    chunkLimit: deps.chunkLimit,
    ...(turn.errorsEphemeral ? { errorsEphemeral: true } : {}),
  });
}

/** Whether the text is a command that only managers may use (looked up only then: it costs API calls). */
function needsManager(deps: SlackDeps, text: string): boolean {
  if (!text.trim().startsWith('/')) return false;
  try {
    return parseCommandLine(text, deps.engine.commands).resolved.managerOnly;
  } catch {
    return false; // the engine answers a bad command with its own sentence
  }
}
