import type { ChatMessage } from '../../src/model/types.js';
import type { TestEngine } from '../support/engine.js';

export const LORE_HEADER = 'Lore (facts of this world to keep consistent):';

/** The lore system message of the model's last request, or undefined when none was sent. */
export function loreSent(t: TestEngine): string | undefined {
  const messages: ChatMessage[] = t.backend.lastCall?.messages ?? [];
  const lore = messages.find((m) => m.role === 'system' && m.content.startsWith(LORE_HEADER));
  return lore?.content.slice(LORE_HEADER.length + 1);
}
