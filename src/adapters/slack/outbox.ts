import type { Outbox } from '../../engine/engine.js';
import type { SlackDeps } from './deps.js';
import { renderReply } from './render.js';

/**
 * Where Muse's unasked messages (a vote closing, the next beat) go on Slack: the conversation's
 * channel or DM, in its thread (ConversationRef.thread) when it has one, rendered like any reply
 * (throttled edits, splitting, buttons, files, escaping). With nobody asking, a private part is
 * shown to everyone there. renderReply reads the parts to the end even when Slack refuses a post.
 */
export function slackOutbox(deps: SlackDeps): Outbox {
  return async (ref, parts) => {
    await renderReply(
      parts,
      { channel: ref.channel, ...(ref.thread ? { threadTs: ref.thread } : {}), ...(ref.dm ? { dm: true } : {}) },
      { client: deps.client, log: deps.log, throttleMs: deps.throttleMs, chunkLimit: deps.chunkLimit },
    );
  };
}
