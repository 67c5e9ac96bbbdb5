import { conversationKey, type ConversationRef } from './conversation.js';
import type { ReplyPart } from './parts.js';

/** Where an adapter renders what Muse says unasked. */
export type Outbox = (ref: ConversationRef, parts: AsyncIterable<ReplyPart>) => Promise<void>;

interface OutboxLogger {
  warn(obj: object, msg?: string): void;
}

/** The adapters' outboxes, one per platform, and the delivery of announcements to them. */
export class Outboxes {
  private readonly sinks = new Map<string, Outbox>();

  constructor(private readonly log: OutboxLogger) {}

  /** Sets the platform's outbox; the returned function detaches it. */
  attach(platform: string, sink: Outbox): () => void {
    this.sinks.set(platform, sink);
    return () => {
      if (this.sinks.get(platform) === sink) this.sinks.delete(platform);
    };
  }

  /**
   * Sends an announcement's parts to the platform's outbox and returns its end part. One that
   * says nothing (it ends at once with an empty 'done': a job found nothing to do) is not sent.
   * The parts are always finished, so the work behind them ends and its lock is released.
   */
  async deliver(ref: ConversationRef, parts: AsyncIterable<ReplyPart>): Promise<ReplyPart | undefined> {
    const it = parts[Symbol.asyncIterator]();
    let end: ReplyPart | undefined;
    try {
      const first = await it.next();
      if (first.done) return undefined;
      if (first.value.type === 'done' && !first.value.text) return first.value;
      const rest = async function* (): AsyncGenerator<ReplyPart> {
        let next: IteratorResult<ReplyPart> = first;
        while (!next.done) {
          if (next.value.type === 'done' || next.value.type === 'error') end = next.value;
          yield next.value;
          next = await it.next();
        }
      };
      const sink = this.sinks.get(ref.platform);
      if (sink) {
        await sink(ref, rest());
      } else {
        this.log.warn({ platform: ref.platform, conversation: conversationKey(ref) }, 'no outbox for this platform; the announcement runs unseen');
        for await (const part of rest()) void part;
      }
      return end;
    } finally {
      await it.return?.(undefined);
    }
  }
}
