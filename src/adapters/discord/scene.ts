import type { ReplyAction, ReplyFile } from '../../engine/parts.js';
import { splitMessage } from '../../text/split.js';
import { withTrailer, type PublicReply, type TrailerStyle } from '../common/reply-plan.js';
import { sceneAsText, sceneBlocks, type CastStyle } from '../common/scene.js';

/** A line a story's character speaks. */
export interface CastLinePost {
  name: string;
  avatarUrl?: string;
  text: string;
}

/** Posts a story's cast lines under each character's own name (a channel webhook). */
export interface CastPoster {
  /** Whether it can post here now (else the scene is one message with bold names). */
  ready(): Promise<boolean>;
  post(line: CastLinePost): Promise<void>;
}

/** A cast line inside one message (the fallback): the name in bold. */
export const BOLD: CastStyle = (name, text) => `**${name}:** ${text}`;
/** Message 0 of a scene that opens with a cast line when the "writing…" marker could not be removed. */
export const SCENE_MARK = '🎭';

/** Whether the cast poster can post here now; a failure to tell counts as no (and is logged). */
export async function castReady(cast: CastPoster, onError?: (err: unknown, what: string) => void): Promise<boolean> {
  try {
    return await cast.ready();
  } catch (err) {
    onError?.(err, 'cast not ready');
    return false;
  }
}

/** What drawing a scene needs of the renderer. */
export interface ScenePort {
  limit: number;
  /** Shows the lead (the narration that streamed) as its final text. */
  lead(text: string): Promise<void>;
  /**
   * A scene that opens with a line: removes what waits above it (the "writing…" marker, a
   * deferred interaction's reply), so the line comes first; false when it could not.
   */
  clearAbove(): Promise<boolean>;
  /** Posts a new message of Muse's after the ones so far. */
  add(message: { content: string; actions?: readonly ReplyAction[]; files?: readonly ReplyFile[] }): Promise<void>;
  trailer: TrailerStyle;
  /** The fallback text of a last message with only buttons ("What next?" in the turn's language). */
  whatNext: string;
  onError(err: unknown, what: string): void;
}

/**
 * Draws a reply with cast lines on Discord: the lead as the streamed message's final text, then
 * in order each character's line through the cast poster and the narration between them as
 * Muse's messages; the error, notices, buttons and files go under Muse's last message. When a
 * line cannot be posted as the character, it and everything after it go out as one message with
 * bold names.
 */
export async function drawScene(port: ScenePort, shown: PublicReply, cast: CastPoster): Promise<void> {
  const scene = shown.scene!;
  if (scene.lead.trim() || !(await port.clearAbove())) await port.lead(scene.lead);
  const blocks = sceneBlocks(scene);
  let tail = '';
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'narration') {
      // The last narration carries what goes under the reply.
      if (i === blocks.length - 1) tail = block.text;
      else for (const chunk of splitMessage(block.text, port.limit)) await port.add({ content: chunk });
      continue;
    }
    try {
      await cast.post({ name: block.name, text: block.text, ...(block.avatarUrl ? { avatarUrl: block.avatarUrl } : {}) });
    } catch (err) {
      port.onError(err, 'a cast line could not be posted as the character; the rest goes out as one message');
      tail = sceneAsText({ lead: '', blocks: blocks.slice(i).map((b) => (b.kind === 'narration' ? { ...b, text: `${b.text}\n` } : b)) }, BOLD).trim();
      break;
    }
  }
  const text = withTrailer(tail, shown, port.trailer);
  const under = { actions: shown.actions, files: shown.files };
  if (!text.trim() && !under.actions.length && !under.files.length) return;
  const chunks = splitMessage(text.trim() ? text : port.whatNext, port.limit);
  for (const [k, chunk] of chunks.entries()) {
    const last = k === chunks.length - 1;
    await port.add({
      content: chunk,
      ...(last && under.actions.length ? { actions: under.actions } : {}),
      ...(last && under.files.length ? { files: under.files } : {}),
    });
  }
}

/** What clearAbove needs of a surface: whether a deferral waits, and how to remove what it posted. */
interface Clearable {
  readonly awaited: boolean;
  clear?(): Promise<void>;
}

/**
 * Removes what a reply showed so far above a scene that opens with a line (`shown`, by index;
 * a deferral when `awaited`); the slot of message 0 stays taken, so the scene's messages are new
 * ones after the line. False when there is something and it could not go.
 */
export async function clearAbove(surface: Clearable, shown: string[], onError: (err: unknown, what: string) => void): Promise<boolean> {
  if (!shown.length && !surface.awaited) return true;
  if (!surface.clear) return false;
  try {
    await surface.clear();
  } catch (err) {
    onError(err, 'could not remove the placeholder above a scene');
    return false;
  }
  shown.splice(0, shown.length, '');
  return true;
}
