import type { ReplyAction } from '../../engine/parts.js';
import { splitMessage } from '../../text/split.js';
import type { PublicReply } from '../common/reply-plan.js';
import { sceneAsText, sceneBlocks, type CastStyle } from '../common/scene.js';
import { escapeSlack } from './escape.js';

/** A cast line inside one message (the fallback), in mrkdwn: the name in bold. */
export const BOLD: CastStyle = (name, text) => `*${name}:* ${text}`;

/** What drawing a scene needs of the Slack renderer. */
export interface SlackScenePort {
  chunkLimit: number;
  /** Posts a line as the character (username, icon_url); false when Slack refused (missing_scope, not_allowed…). */
  asCharacter(line: { name: string; avatarUrl?: string; text: string }): Promise<boolean>;
  /** Posts Muse's message (mrkdwn, already escaped). */
  message(text: string): Promise<void>;
  /** Posts Muse's last message: its text (raw), the notices under it, the buttons. */
  last(text: string, actions: readonly ReplyAction[]): Promise<void>;
}

/**
 * Draws a reply's scene on Slack after its lead: each character's line as a message under the
 * character's name and picture, the narration between as Muse's messages, the last narration
 * with the notices and buttons. When Slack refuses a line (no chat:write.customize), it and the
 * rest go out as one message with bold names.
 */
export async function drawSlackScene(port: SlackScenePort, shown: PublicReply): Promise<void> {
  const blocks = sceneBlocks(shown.scene!);
  let tail = '';
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'narration') {
      if (i === blocks.length - 1) tail = block.text;
      else for (const chunk of splitMessage(block.text, port.chunkLimit)) await port.message(escapeSlack(chunk));
      continue;
    }
    const line = { name: block.name, text: block.text, ...(block.avatarUrl ? { avatarUrl: block.avatarUrl } : {}) };
    if (await port.asCharacter(line)) continue;
    const rest = blocks.slice(i).map((b) => (b.kind === 'narration' ? { ...b, text: `${b.text}\n` } : b));
    tail = sceneAsText({ lead: '', blocks: rest }, BOLD).trim();
    break;
  }
  await port.last(tail, shown.actions);
}
