/**
 * A scene: the part of a reply from its first cast line on, as blocks in order (narration, and
 * lines characters speak), which a surface that can post as a character draws one by one; the
 * text before it (the lead) streams as usual. The reply's plain text keeps every cast line as
 * `Name: "…"`, so a surface that cannot post as a character shows the scene as text.
 */
export type SceneBlock = { kind: 'narration'; text: string } | { kind: 'cast'; name: string; avatarUrl?: string; text: string };

export interface Scene {
  /** The reply's text before the first cast line (what streamed). */
  lead: string;
  blocks: SceneBlock[];
}

/** How a surface writes a cast line inside one message (the fallback): `**Mira:** "…"`. */
export type CastStyle = (name: string, text: string) => string;

/** The line a cast part adds to the reply's plain text: `Name: "…"`, on a line of its own. */
export function castText(text: string, name: string, words: string): string {
  const gap = text && !text.endsWith('\n') ? '\n' : '';
  return `${gap}${name}: ${words}\n`;
}

/** The scene's blocks with `added` public text appended (narration after a cast line). */
export function withNarration(blocks: readonly SceneBlock[], added: string): SceneBlock[] {
  if (!added) return [...blocks];
  const last = blocks[blocks.length - 1];
  if (last?.kind === 'narration') return [...blocks.slice(0, -1), { kind: 'narration', text: last.text + added }];
  return [...blocks, { kind: 'narration', text: added }];
}

/** The whole scene as one text, each cast line in the surface's style (one message with bold names). */
export function sceneAsText(scene: Scene, style: CastStyle): string {
  let out = scene.lead;
  for (const block of scene.blocks) {
    if (block.kind === 'narration') out += block.text;
    else out += `${out && !out.endsWith('\n') ? '\n' : ''}${style(block.name, block.text)}\n`;
  }
  return out;
}

/** The scene's blocks with blank narration dropped and narration trimmed of the line breaks around it. */
export function sceneBlocks(scene: Scene): SceneBlock[] {
  return scene.blocks.flatMap((b): SceneBlock[] => (b.kind === 'cast' ? [b] : b.text.trim() ? [{ kind: 'narration', text: b.text.trim() }] : []));
}
