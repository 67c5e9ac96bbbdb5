import type { ReplyAction } from '../../engine/parts.js';
import type { PublicReply } from '../common/reply-plan.js';
import { sceneBlocks, type CastStyle, type SceneBlock } from '../common/scene.js';

/**
 * A cast line inside one message (the fallback), in Markdown like the rest of the message: the
 * name in bold (`**Mira:**`; its mrkdwn fallback text has `*Mira:*`).
 */
export const BOLD: CastStyle = (name, text) => `**${name}:** ${text}`;

/** What drawing a scene needs of the Slack renderer; every text is the model's Markdown. */
export interface SlackScenePort {
  /** Posts a line as the character (username, icon_url); false when Slack refused (missing_scope, not_allowed…). */
  asCharacter(line: { name: string; avatarUrl?: string; text: string }): Promise<boolean>;
  /** Posts Muse's message(s). */
  message(text: string): Promise<void>;
  /** Posts Muse's last message: its text, the notices under it, the buttons. */
  last(text: string, actions: readonly ReplyAction[]): Promise<void>;
}

/**
 * Draws a reply's scene on Slack after its lead: each character's line as a message under the
 * character's name and picture, the narration between as Muse's messages, the last narration
 * with the notices and buttons. When Slack refuses a line (no chat:write.customize), it and the
 * rest go out as one message with bold names, a paragraph each.
 */
export async function drawSlackScene(port: SlackScenePort, shown: PublicReply): Promise<void> {
  const blocks = sceneBlocks(shown.scene!);
  let tail = '';
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'narration') {
      if (i === blocks.length - 1) tail = block.text;
      else await port.message(block.text);
      continue;
    }
    const line = { name: block.name, text: block.text, ...(block.avatarUrl ? { avatarUrl: block.avatarUrl } : {}) };
    if (await port.asCharacter(line)) continue;
    tail = asOneMessage(blocks.slice(i));
    break;
  }
  await port.last(tail, shown.actions);
}

/** Scene blocks as one Markdown message: each cast line and each narration a paragraph. */
function asOneMessage(blocks: readonly SceneBlock[]): string {
  return blocks.map((b) => (b.kind === 'cast' ? BOLD(b.name, b.text) : b.text)).join('\n\n');
}
