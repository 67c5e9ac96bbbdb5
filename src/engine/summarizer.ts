import { randomUUID } from 'node:crypto';
import type { ConversationMeta, ConversationStore } from '../memory/types.js';
import { generateText, type ModelBackend } from '../model/types.js';
import type { ConversationLocks } from './hold.js';
import type { Observers } from './observer.js';
import type { WindowCache } from './window-cache.js';
import { FencedWriter } from './writer.js';

export interface SummarizerDeps {
  store: ConversationStore;
  /** The conversation's model (by its meta). */
  backend: (meta: ConversationMeta) => Promise<ModelBackend>;
  /** The conversation lock (and lease) the result is committed under. */
  locks: ConversationLocks;
  cache: WindowCache;
  observers: Observers;
  timeoutMs: number;
  /** Turns folded per pass. */
  batch?: number;
  onError(err: unknown, key: string): void;
}

const INSTRUCTION =
  'You keep the running summary of a conversation. Merge the earlier summary and the new turns ' +
  'into one updated summary of at most 200 words. Keep names, who did what, facts about the ' +
  "world and open threads; drop small talk. Write it in the conversation's language. Output " +
  'only the summary.';

/** The longest summary kept (the model is asked for 200 words; one that runs on is cut). */
export const MAX_SUMMARY_CHARS = 2000;

/** A summary within MAX_SUMMARY_CHARS: cut at the last sentence or word end that fits, marked with "…". */
export function capSummary(summary: string): string {
  if (summary.length <= MAX_SUMMARY_CHARS) return summary;
  const head = summary.slice(0, MAX_SUMMARY_CHARS - 1);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'), head.lastIndexOf('\n'));
  const word = head.lastIndexOf(' ');
  const end = sentence > MAX_SUMMARY_CHARS / 2 ? sentence + 1 : word > MAX_SUMMARY_CHARS / 2 ? word : head.length;
  return `${head.slice(0, end).trimEnd()}…`;
}

/**
 * Folds turns that fell out of the context window into the conversation's rolling summary,
 * off the reply's critical path: the model call runs outside the conversation's lock, and the
 * result is committed under the lock (and lease) only if the conversation has not moved on
 * meanwhile, as a fenced compare-and-set with a new rev like every other write of the meta.
 */
export class Summarizer {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly deps: SummarizerDeps) {}

  /** `spent` counts the summary's tokens (to the tenant whose reply dropped the turns). */
  schedule(key: string, meta: ConversationMeta, windowStart: number, spent?: (tokens: number) => void): void {
    if (this.inflight.has(key)) return;
    const job = this.fold(key, meta, windowStart, spent)
      .catch((err) => this.deps.onError(err, key))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
  }

  /** Resolves when no summary is being written (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight.values());
  }

  private async fold(key: string, meta: ConversationMeta, windowStart: number, spent?: (tokens: number) => void): Promise<void> {
    const from = Math.max(meta.base, meta.summarizedUpTo);
    const to = Math.min(windowStart, from + (this.deps.batch ?? 64));
    if (to <= from) return;
    const turns = await this.deps.store.getTurns(key, from, to);
    const transcript = turns.map((t) => `${t.role === 'assistant' ? 'Muse' : t.name}: ${t.text}`).join('\n\n');
    const backend = await this.deps.backend(meta);
    const { text, usage } = await generateText(backend, {
      messages: [
        { role: 'system', content: INSTRUCTION },
        { role: 'user', content: `Earlier summary:\n${meta.summary || '(none yet)'}\n\nNew turns:\n${transcript}` },
      ],
      temperature: 0.2,
      maxOutputTokens: 400,
      timeoutMs: this.deps.timeoutMs,
    });
    spent?.((usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
    const summary = capSummary(text.trim());
    if (!summary) return;
    const held = await this.deps.locks.take(key);
    try {
      const current = await this.deps.store.getMeta(key);
      if (!current || current.epoch !== meta.epoch || current.base !== meta.base || current.summarizedUpTo !== meta.summarizedUpTo || current.count < to)
        return;
      const writer = new FencedWriter({
        store: this.deps.store,
        key,
        lease: held.lease,
        rev: current.rev,
        cache: this.deps.cache,
        observers: this.deps.observers,
        onLost: () => held.noteLost(),
      });
      await writer.putMeta({ ...current, summary, summarizedUpTo: to, rev: randomUUID() });
    } finally {
      await held.release();
    }
  }
}
