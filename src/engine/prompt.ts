import type { ConversationMeta } from '../memory/types.js';
import type { Persona } from '../personas/schema.js';
import type { ConversationRef } from './conversation.js';

/** What a feature sees when it adds to a reply's system prompt. */
export interface PromptInput {
  persona: Persona;
  meta: ConversationMeta;
  ref: ConversationRef;
}

/**
 * A feature's part of the system prompt: `rules` are instructions Muse wrote; `data` is text
 * people wrote (a story's premise), labelled, so it can be set apart from the instructions.
 */
export interface PromptContribution {
  rules?: string[];
  data?: Array<{ label: string; text: string }>;
}

export type PromptSource = (input: PromptInput) => PromptContribution | undefined;

/**
 * The system prompt of a reply: the persona's prompt, then each feature's part in registry
 * order (its rules, then its data as "label: text"), a note when the conversation is private,
 * then the reply's own instruction; one paragraph each.
 */
export function systemPrompt(input: PromptInput, sources: readonly PromptSource[], instruction?: string): string {
  const parts = [input.persona.prompt];
  for (const source of sources) {
    const added = source(input);
    if (!added) continue;
    parts.push(...(added.rules ?? []), ...(added.data ?? []).map((d) => `${d.label}: ${d.text}`));
  }
  if (input.ref.dm) parts.push('This is a private conversation with one person.');
  if (instruction) parts.push(instruction);
  return parts.join('\n\n');
}
