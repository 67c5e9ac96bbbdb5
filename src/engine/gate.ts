import { english, type Translate } from '../i18n/index.js';
import type { ReplyPart } from './parts.js';

/** The sentence for a turn that found the queue full (private; nothing was posted for it), in English. */
export const BUSY = english('fairUse.gateBusy');

export interface GateLimits {
  /** Turns running at once in this process (MUSE_MAX_TURNS). */
  maxTurns: number;
  /** Turns waiting in one conversation behind the one it runs (MUSE_QUEUE_PER_CONVERSATION). */
  queuePerConversation: number;
  /** Turns waiting in this process, all conversations (MUSE_QUEUE_PER_PROCESS). */
  queuePerProcess: number;
}

/**
 * Backpressure, on every platform: at most `maxTurns` turns run at once; the rest wait in
 * arrival order, a conversation's turns one behind the other (so one busy conversation holds at
 * most one slot), in bounded queues. A turn that finds its conversation's queue or the process's
 * queue full is answered at once with BUSY and never runs (nothing posted, nothing spent).
 */
export class TurnGate {
  private running = 0;
  private waitingCount = 0;
  private readonly slotWaiters: Array<() => void> = [];
  /** Per conversation: its turns here (running or waiting), and the tail of its queue. */
  private readonly conversations = new Map<string, { turns: number; tail: Promise<void> }>();

  constructor(private readonly limits: GateLimits) {}

  /** Turns waiting now (running ones excluded). */
  get waiting(): number {
    return this.waitingCount;
  }

  get active(): number {
    return this.running;
  }

  /** Runs `run` when the conversation's earlier turns are done and a slot is free, or answers BUSY (in the language of `t`) at once. */
  async *through(key: string, run: () => AsyncIterable<ReplyPart>, t: Translate = english): AsyncGenerator<ReplyPart> {
    const release = await this.enter(key);
    if (!release) {
      yield { type: 'error', code: 'busy', message: t('fairUse.gateBusy'), ephemeral: true };
      return;
    }
    try {
      yield* run();
    } finally {
      release();
    }
  }

  /** A release for the slot taken, or undefined when the queues are full. */
  private async enter(key: string): Promise<(() => void) | undefined> {
    const conversation = this.conversations.get(key);
    const turns = conversation?.turns ?? 0;
    const atOnce = turns === 0 && this.running < this.limits.maxTurns;
    if (!atOnce && (turns > this.limits.queuePerConversation || this.waitingCount >= this.limits.queuePerProcess)) return undefined;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const before = conversation?.tail ?? Promise.resolve();
    const entry = conversation ?? { turns: 0, tail: mine };
    entry.turns++;
    entry.tail = mine;
    this.conversations.set(key, entry);
    if (atOnce) this.running++;
    else {
      this.waitingCount++;
      try {
        await before;
        await this.slot();
      } finally {
        this.waitingCount--;
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.running--;
      done();
      if (--entry.turns === 0) this.conversations.delete(key);
    };
  }

  private slot(): Promise<void> {
    if (this.running < this.limits.maxTurns) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }
}
