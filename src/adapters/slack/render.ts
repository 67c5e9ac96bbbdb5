import type { WebClient } from './client.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { Logger } from '../../util/log.js';
import { StreamedText } from './edits.js';
import { toMrkdwn } from './markdown.js';
import { Poster, type PostResult, type ReplyTarget } from './poster.js';
import { drawSlackScene } from './scene.js';
import { NativeStream, STREAM_LIMIT } from './stream.js';
import { finish, held, readReply, withTrailer, type PlanOptions, type PublicReply } from '../common/reply-plan.js';
import { english, type Translate } from '../../i18n/index.js';

export type { ReplyTarget } from './poster.js';

export interface RenderOptions {
  client: WebClient;
  log: Logger;
  /** Minimum time between edits (or stream appends) of a streaming message. */
  throttleMs: number;
  /** Characters per message before the text is split (Slack allows 40,000; ~3,000 reads well). */
  chunkLimit: number;
  /** Slash commands: errors are shown only to the person who asked, unless text was already shown. */
  errorsEphemeral?: boolean;
  /** Slack's own streaming for replies in threads (default on). */
  nativeStreaming?: boolean;
  /** Characters per natively streamed message before the reply goes on in a new one (default 12,000). */
  streamLimit?: number;
  /** Muse's own words in the turn's language ("What next?"); default English. */
  t?: Translate;
}

export interface RenderResult extends PostResult {
  outcome: 'done' | 'error';
  /** The reply was shown in the clicked message (target.replaceTs) instead of a new one. */
  replaced?: boolean;
  /** The reply plan says the clicked message's buttons are used up (a new public reply has the current ones). */
  retireClicked?: boolean;
  /** ts of the messages streamed with chat.startStream (also in `posted`). */
  streamed?: string[];
}

/** How Slack writes the lines under a reply: notices in italics (the error is a message of its own). */
const TRAILER = { error: (s: string) => s, notice: (n: string) => `_${n}_` };

/**
 * Draws the reply plan on Slack. A reply in a thread (a mention's thread, the assistant pane)
 * to someone who asked streams with Slack's own streaming (stream.ts): feedback buttons and
 * Muse's buttons under it, the error sentence at its end. Elsewhere (top-level DM replies, slash
 * commands, announcements, answers to a click), and for the rest of a reply whose stream Slack
 * refused, the text is posted at once and then edited (chat.update) at most every `throttleMs`,
 * split over several messages at paragraph or stanza breaks (never inside a code fence or a
 * link), the model's Markdown in markdown and table blocks with a mrkdwn `text` fallback
 * (markdown.ts); buttons go under the last message, notices end it, files follow it; a failure
 * ends with one clear sentence in a message of its own. A private part is an ephemeral message, posted as it comes. What goes where is the plan's
 * (src/adapters/common). Slack API failures are logged and never stop the engine's stream.
 */
export async function renderReply(parts: AsyncIterable<ReplyPart>, target: ReplyTarget, given: RenderOptions): Promise<RenderResult> {
  // Muse's own words: the turn's language, else English (said once here for every path below).
  const opts = { ...given, t: given.t ?? english };
  const result: RenderResult = { outcome: 'done', posted: [] };
  const post = new Poster(target, opts, result);
  const native = nativeStream(target, post, opts);
  const edits = native ? undefined : new StreamedText(post, opts, target.replaceTs);
  const options: PlanOptions = {
    // In a DM (private already) and in an announcement (nobody asked), private parts are shown with the reply.
    privateReplies: !target.dm && !!target.user,
    clicked: !!target.replaceTs,
    privateErrors: !!opts.errorsEphemeral,
    t: opts.t,
  };
  let sentPrivately = 0;
  const state = await readReply(
    parts,
    options,
    async (s) => {
      while (sentPrivately < s.private.length) await post.ephemeral(s.private[sentPrivately++]!);
      // Both paths stream the text before the first cast line; the scene is drawn at the end.
      if (native) native.update(appendable(held(s)));
      else edits!.update(held(s), s.inPlace);
    },
    (err) => opts.log.warn({ err, channel: target.channel }, 'slack: the reply stream failed'),
  );
  const plan = finish(state);
  result.outcome = plan.ended;
  if (plan.public && native) await finishNative(native, plan.public, post, state.withdrawn);
  else if (plan.public) {
    const shown = plan.public;
    // A streamed reply taken back (moderation): its messages are edited into the sentence.
    const replaced = state.withdrawn && shown.error !== undefined;
    const text = replaced ? `:warning: ${shown.error}` : shown.text;
    if (shown.scene) {
      // Cast lines: the lead as streamed, then each line under its character's name (scene.ts).
      await edits!.finish(shown.scene.lead.trimEnd(), [], false);
      await drawSlackScene(post.scenePort(shown.notices, TRAILER), shown);
    } else await edits!.finish(withTrailer(text, { notices: shown.notices }, TRAILER), shown.actions, shown.inPlace);
    for (const file of shown.files) await post.file(file);
    if (shown.error !== undefined && !replaced) await post.message(toMrkdwn(`:warning: ${shown.error}`));
  } else {
    native?.stop();
    edits?.stop();
  }
  if (plan.private) {
    const rest = withTrailer('', plan.private, TRAILER);
    if (rest) await post.ephemeral(rest);
  }
  if (native) {
    result.streamed = [...native.streamed];
    result.posted.unshift(...native.streamed);
  }
  if (edits?.adopted) result.replaced = true;
  if (plan.retireClicked) result.retireClicked = true;
  return result;
}

/**
 * What may be appended natively now: what is appended stays, so trailing line breaks wait for
 * more text (a lead before a scene ends trimmed); a trailing space goes out with its word, so a
 * gap between words never moves to the start of a next message (where Slack would drop it).
 */
function appendable(text: string): string {
  return /\n\s*$/.test(text) ? text.trimEnd() : text;
}

/** Native streaming where Slack has it: a thread, someone who asked, a new message (not a click's). */
function nativeStream(target: ReplyTarget, post: Poster, opts: RenderOptions & { t: Translate }): NativeStream | undefined {
  if (opts.nativeStreaming === false || !target.threadTs || !target.user || target.replaceTs) return undefined;
  return new NativeStream({ ...target, threadTs: target.threadTs }, post, { ...opts, streamLimit: opts.streamLimit ?? STREAM_LIMIT });
}

/** The end of a streamed reply: the error sentence and notices end the stream's text; files follow. */
async function finishNative(native: NativeStream, shown: PublicReply, post: Poster, withdrawn?: boolean): Promise<void> {
  if (shown.scene) {
    // Cast lines: the stream ends with the lead, then each line under its character's name (scene.ts).
    await native.finish({ text: shown.scene.lead.trimEnd(), trailer: '', actions: [] });
    await drawSlackScene(post.scenePort(shown.notices, TRAILER), shown);
    for (const file of shown.files) await post.file(file);
    if (shown.error !== undefined) await post.message(toMrkdwn(`:warning: ${shown.error}`));
    return;
  }
  const replaced = withdrawn && shown.error !== undefined;
  const trailer = withTrailer('', { error: shown.error === undefined || replaced ? undefined : `⚠️ ${shown.error}`, notices: shown.notices }, TRAILER);
  await native.finish({ text: shown.text, trailer, actions: shown.actions });
  // A streamed reply taken back (moderation): the first message becomes the sentence, the rest go.
  if (replaced) for (const [i, ts] of native.streamed.entries()) await (i === 0 ? post.update(ts, toMrkdwn(`:warning: ${shown.error}`)) : post.remove(ts));
  for (const file of shown.files) await post.file(file);
}
