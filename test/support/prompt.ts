import { DATA_CLOSE, DATA_HEADER } from '../../src/engine/prompt.js';
import type { ChatMessage } from '../../src/model/types.js';

/** The data message of a model request (what people wrote, delimited), or undefined when none was sent. */
export function dataMessage(messages: readonly ChatMessage[]): string | undefined {
  return messages.find((m) => m.role === 'system' && m.content.startsWith(DATA_HEADER))?.content;
}

/** The blocks of a request's data message, label → text, in order. */
export function dataBlocks(messages: readonly ChatMessage[]): Map<string, string> {
  const blocks = new Map<string, string>();
  const data = dataMessage(messages) ?? '';
  const close = DATA_CLOSE.replace(/[[\]]/g, '\\$&');
  for (const m of data.matchAll(new RegExp(`⟦data: ([^⟧]*)⟧\\n([^⟦]*)\\n${close}`, 'g'))) blocks.set(m[1]!, m[2]!);
  return blocks;
}

/** The text of the data block `label`, or undefined. */
export const dataBlock = (messages: readonly ChatMessage[], label: string): string | undefined => dataBlocks(messages).get(label);
