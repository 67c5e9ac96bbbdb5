import type { ChatMessage } from '../model/types.js';
import type { ConversationMeta, Turn } from '../memory/types.js';
import { dataMessage, type PromptData } from './prompt.js';
import { estimateTokens } from './tokens.js';

export interface ContextWindow {
  /** Turns in context, oldest first. */
  turns: Turn[];
  /** Index of the first turn in the window. */
  start: number;
  /** Turns that no longer fit and are not yet in the summary. */
  dropped: number;
}

export interface WindowLimits {
  /** Tokens available for the history turns. */
  tokenBudget: number;
  /** Hard cap on turns read, so a turn's cost stays bounded whatever the budget. */
  maxTurns: number;
  /** Turns read per store round trip. */
  pageSize?: number;
}

/**
 * Reads as many recent turns as fit the budget, newest first, never before the summary's end.
 * Reads in pages, so the cost depends on the budget, not on the conversation's length.
 */
export async function readWindow(
  getTurns: (from: number, to: number) => Promise<Turn[]>,
  meta: ConversationMeta,
  limits: WindowLimits,
): Promise<ContextWindow> {
  const floor = Math.max(meta.base, meta.summarizedUpTo);
  const pageSize = limits.pageSize ?? 24;
  const turns: Turn[] = [];
  let used = 0;
  let start = meta.count;
  let end = meta.count;
  let full = false;
  while (!full && end > floor && turns.length < limits.maxTurns) {
    const from = Math.max(floor, end - pageSize, end - (limits.maxTurns - turns.length));
    const page = await getTurns(from, end);
    for (let i = page.length - 1; i >= 0; i--) {
      const cost = turnTokens(page[i]!);
      if (used + cost > limits.tokenBudget) {
        full = true;
        break;
      }
      used += cost;
      turns.push(page[i]!);
      start = end - (page.length - i);
    }
    end = from;
  }
  turns.reverse();
  return { turns, start, dropped: start - floor };
}

// Turns served from the window cache are the same objects turn after turn: count them once.
const counted = new WeakMap<Turn, number>();

export function turnTokens(turn: Turn): number {
  let tokens = counted.get(turn);
  if (tokens === undefined) {
    tokens = estimateTokens(turn.text) + (turn.role === 'user' ? estimateTokens(turn.name) + 1 : 0) + 4;
    counted.set(turn, tokens);
  }
  return tokens;
}

/** How a stored turn is shown to the model: players are named, so the narrator knows who acts. */
export function turnMessage(turn: Turn): ChatMessage {
  if (turn.role === 'assistant') return { role: 'assistant', content: turn.text };
  return { role: 'user', content: `${turn.name}: ${turn.text}`, name: turn.name };
}

export interface AssembleInput {
  /** The system instructions: only text Muse wrote. */
  system: string;
  /** What people wrote (a premise, the summary, the features' context slots such as lore), as data. */
  data: readonly PromptData[];
  window: Turn[];
  next: Turn;
  /** Data that goes after the recent turns, just before the new turn (an author's note). */
  late?: readonly PromptData[];
}

/** Label of the rolling summary's data block. */
export const SUMMARY_LABEL = 'Summary of the conversation so far';

/**
 * System instructions, then the data people wrote as one delimited message (see dataMessage),
 * then the recent turns, then the late data (delimited the same way), then the new turn.
 */
export function assemble(input: AssembleInput): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: input.system }];
  const data = dataMessage(input.data);
  if (data) messages.push({ role: 'system', content: data });
  for (const turn of input.window) messages.push(turnMessage(turn));
  const late = dataMessage(input.late ?? []);
  if (late) messages.push({ role: 'system', content: late });
  messages.push(turnMessage(input.next));
  return messages;
}
