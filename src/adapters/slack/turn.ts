import { conversationKey, type ConversationRef } from '../../engine/conversation.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Attachment } from '../../engine/session.js';
import { parseCommandLine } from '../../engine/text-command.js';
import type { SlackDeps } from './deps.js';
import { slackToPlain } from './escape.js';
import { asCommandLine, downloadFiles, type SlackFile } from './files.js';
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
  /** Files shared with the message: passed to the command the text names, if it names one. */
  files?: readonly SlackFile[];
}

/** Runs one turn through the engine and renders the reply into Slack. */
export function runTurn(deps: SlackDeps, turn: SlackTurn): Promise<RenderResult> {
  const conversation: ConversationRef = {
    platform: 'slack',
    workspace: turn.teamId,
    channel: turn.channel,
    ...(turn.threadTs ? { thread: turn.threadTs } : {}),
    ...(turn.dm ? { dm: true } : {}),
  };
  return deps.gate.run(() => run(deps, turn, conversation), conversationKey(conversation));
}

async function run(deps: SlackDeps, turn: SlackTurn, conversation: ConversationRef): Promise<RenderResult> {
  const name = await deps.users.name(turn.userId);
  let text = slackToPlain(turn.text, (id) => deps.users.cachedName(id));
  let attachments: Attachment[] = [];
  const files = turn.files?.length ? turn.files : undefined;
  if (files) text = asCommandLine(text, deps.engine.commands);
  const canManage = !turn.dm && needsManager(deps, text) ? await deps.users.canManage(turn.userId) : undefined;
  const target: ReplyTarget = {
    channel: turn.channel,
    user: turn.userId,
    dm: turn.dm,
    ...(turn.threadTs ? { threadTs: turn.threadTs } : {}),
    ...turn.target,
  };
  let parts: AsyncIterable<ReplyPart>;
  try {
    // Files only go with a command (lore import, persona import); a plain turn does not read them.
    if (files && text.startsWith('/')) attachments = await downloadFiles(deps, files);
    parts = deps.engine.handle({
      conversation,
      speaker: { id: turn.userId, name },
      text,
      ...(canManage === undefined ? {} : { canManage }),
      ...(attachments.length ? { attachments } : {}),
    });
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err;
    deps.log.warn({ err, cause: (err as { cause?: unknown }).cause, channel: turn.channel }, 'slack: a shared file could not be taken');
    parts = refusal(err);
  }
  return renderReply(parts, target, {
    client: deps.client,
    log: deps.log,
    throttleMs: deps.throttleMs,
    chunkLimit: deps.chunkLimit,
    ...(turn.errorsEphemeral ? { errorsEphemeral: true } : {}),
  });
}

async function* refusal(err: UserFacingError): AsyncGenerator<ReplyPart> {
  yield { type: 'error', code: err.code, message: err.message, ephemeral: true };
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
