import type { ConversationRef } from '../../engine/conversation.js';
import { UserFacingError } from '../../engine/parts.js';
import { refusal, type PlanInput } from '../../engine/plan.js';
import type { Attachment } from '../../engine/session.js';
import type { SlackDeps } from './deps.js';
import { surfaceWords } from '../common/words.js';
import { slackToPlain } from './escape.js';
import { downloadFile, downloadImages, type SlackFile } from './files.js';
import { renderReply, type RenderResult, type ReplyTarget } from './render.js';

export interface SlackTurn {
  teamId: string;
  channel: string;
  /** The conversation's thread (unset: the channel or DM itself). */
  threadTs?: string;
  dm: boolean;
  userId: string;
  /** Slack-formatted text (mentions as <@U…>, entities escaped) or a command line... */
  text?: string;
  /** ... or what a clicked button asks for. */
  input?: PlanInput;
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
  // Backpressure is the engine's (its gate: turns at once and bounded queues, on every platform).
  return run(deps, turn, conversation);
}

async function run(deps: SlackDeps, turn: SlackTurn, conversation: ConversationRef): Promise<RenderResult> {
  const name = await deps.users.name(turn.userId);
  const locale = await deps.users.locale(turn.userId);
  const words = surfaceWords(locale);
  const input = turn.input ?? { text: slackToPlain(turn.text ?? '', (id) => deps.users.cachedName(id)) };
  const files = turn.files?.length ? turn.files : undefined;
  // In a DM the speaker manages; elsewhere it is looked up only when a command needs it (API calls).
  const canManage = turn.dm ? () => true : () => deps.users.canManage(turn.userId);
  const who = { conversation, speaker: { id: turn.userId, name }, canManage, locale, onLocale: words.onLocale };
  const target: ReplyTarget = {
    channel: turn.channel,
    user: turn.userId,
    team: turn.teamId,
    dm: turn.dm,
    ...(turn.threadTs ? { threadTs: turn.threadTs } : {}),
    ...turn.target,
  };
  // Slack's slash commands cannot carry files, so "lore import" posted with a file is that command.
  let plan = await deps.engine.check(deps.engine.plan(input, { bareCommand: !!files, withImages: !!files }), who);
  let attachments: Attachment[] = [];
  // A command takes its one file; pictures with a turn go to its model.
  if (files && ((plan.kind === 'command' && plan.takesFiles) || plan.kind === 'turn')) {
    try {
      attachments = plan.kind === 'turn' ? await downloadImages(deps, files) : [await downloadFile(deps, files, plan)];
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      deps.log.warn({ err, cause: (err as { cause?: unknown }).cause, channel: turn.channel }, 'slack: a shared file could not be taken');
      plan = refusal(err);
    }
  }
  const parts = deps.engine.run(plan, { ...who, ...(attachments.length ? { attachments } : {}) });
  return renderReply(parts, target, {
    client: deps.client,
    log: deps.log,
    throttleMs: deps.throttleMs,
    chunkLimit: deps.chunkLimit,
    ...(deps.streamLimit ? { streamLimit: deps.streamLimit } : {}),
    ...(deps.nativeStreaming === false ? { nativeStreaming: false } : {}),
    t: words.t,
    ...(turn.errorsEphemeral ? { errorsEphemeral: true } : {}),
  });
}
